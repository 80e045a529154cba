// The review workspace: a 12-output job listed beside the selected output's preview, reviewed with
// the keyboard alone (approve, reject with a comment, next), "approve all that passed every check"
// leaving images, logs and review findings, images and logs approved only once seen, and the
// number of actions a checker needs.
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { Artifact, Finding } from '../request';
import { ReviewModel } from '../review/model';
import { approvableTogether, needsPreview } from '../../../hub-service/src/review/triage';
import { ReviewWorkspace } from '../review/workspace';
import { bodies, fakeReviewClient, log, reviewView, sha, table } from './fakeReview';

const trans = nullTranslator.load('hbroker');
const pass: Finding[] = [{ check: 'tables', verdict: 'pass', reason: 'ok' }];
const artifact = (path: string, kind: Artifact['kind'], findings = pass): Artifact => ({
  path,
  kind,
  size: 10,
  sha256: sha,
  status: 'pending',
  findings
});
const cellImage: Artifact = {
  ...artifact('counts.ipynb/cells/3/outputs/0', 'cell_output'),
  cell_output: { cell: 3, output: 0, output_type: 'display_data', mime: 'image/png' }
};
const cellText: Artifact = {
  ...artifact('counts.ipynb/cells/2/outputs/0', 'cell_output'),
  cell_output: { cell: 2, output: 0, output_type: 'stream', mime: 'text/plain' }
};
const needsLook = artifact('means.csv', 'output', [
  { check: 'tables', verdict: 'review', reason: 'Means need an output checker.' }
]);

// What the service serves for the cell outputs, as nbformat JSON.
Object.assign(bodies, {
  [cellImage.path]: JSON.stringify({ output_type: 'display_data', data: { 'image/png': 'iVBO' } }),
  [cellText.path]: JSON.stringify({ output_type: 'stream', name: 'stdout', text: '40 weeks\n' }),
  'counts.ipynb/cells/4/outputs/0': JSON.stringify({
    output_type: 'execute_result',
    data: { 'text/plain': '12' }
  }),
  'counts.ipynb': JSON.stringify({ cells: [] })
});

/** Twelve outputs: 6 passed every check and may be approved together, 6 may not. */
const twelve: Artifact[] = [
  table, // flagged
  artifact('weekly.csv', 'output'),
  artifact('summary.txt', 'output'),
  artifact('counts.ipynb', 'notebook'),
  cellText,
  artifact('counts.ipynb/cells/4/outputs/0', 'cell_output'),
  artifact('readme.md', 'output'),
  artifact('plot.png', 'output'), // passed, but an image
  cellImage, // passed, but an image
  artifact('hbroker-logs/kernel.log', 'log'), // passed, but a log
  log, // a log, flagged
  needsLook // a review finding
];

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise(r => setTimeout(r, 0));
  }
}

function setUp(artifacts = twelve, failPreview?: string) {
  const view = reviewView(artifacts);
  const fake = fakeReviewClient(view, { failPreview });
  const model = new ReviewModel(fake.client, trans);
  const workspace = new ReviewWorkspace(model, trans);
  Widget.attach(workspace, document.body);
  const node = workspace.node;
  const list = () => node.querySelector<HTMLElement>('[role="listbox"]')!;
  let keys = 0;
  const press = async (key: string, init: KeyboardEventInit = {}) => {
    keys++;
    const target = (document.activeElement as HTMLElement) ?? document.body;
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, ...init }));
    await settle();
  };
  const type = async (text: string) => {
    const field = document.activeElement as HTMLTextAreaElement;
    field.value += text;
    field.dispatchEvent(new Event('input'));
    keys += text.length;
  };
  const selected = () => list().querySelector<HTMLElement>('[aria-selected="true"]')?.dataset.path;
  return { ...fake, model, workspace, node, list, press, type, selected, keys: () => keys };
}

describe('triage', () => {
  it('wants images and logs seen, and approves together only what passed every check', () => {
    expect(twelve.filter(needsPreview).map(a => a.path)).toEqual([
      'plot.png',
      cellImage.path,
      'hbroker-logs/kernel.log',
      'stdout.txt'
    ]);
    expect(twelve.filter(approvableTogether)).toHaveLength(6);
    expect(approvableTogether(needsLook)).toBe(false);
    expect(approvableTogether(artifact('unchecked.csv', 'output', []))).toBe(false);
  });
});

describe('ReviewWorkspace', () => {
  afterEach(() => document.body.replaceChildren());

  it('lists every output beside the first one’s preview, findings and labelled decision', async () => {
    const { model, node, list, previewed, workspace, selected } = setUp([table, log]);
    await model.open('j1');
    await settle();
    expect(workspace.title.label).toBe('Review j1');
    const items = [...list().querySelectorAll<HTMLElement>('[role="option"]')];
    expect(items.map(i => i.dataset.path)).toEqual(['counts.csv', 'stdout.txt']);
    expect(selected()).toBe('counts.csv');
    // Selecting an output is asking for its preview (an audited view): only that one is fetched.
    expect(previewed).toEqual(['counts.csv']);
    const pane = node.querySelector<HTMLElement>('.jp-hbroker-ReviewArtifact')!;
    expect(pane.dataset.path).toBe('counts.csv');
    const flagged = [...pane.querySelectorAll('td.jp-hbroker-flagged')];
    expect(flagged.map(td => td.firstChild!.textContent)).toEqual(['3']);
    expect(flagged[0].getAttribute('title')).toContain('under the minimum of 10');
    // What needs a look comes first; passing checks are folded under a count.
    const findings = [...pane.querySelectorAll('.jp-hbroker-Finding')];
    expect(findings.map(f => [f.getAttribute('data-verdict'), !!f.closest('details')])).toEqual([
      ['fail', false],
      ['pass', true]
    ]);
    expect(pane.querySelector('details summary')!.textContent).toBe('1 check passed');
    expect(findings[0].textContent).toContain('(row 2, column 2)');
    expect(pane.querySelector('legend')!.textContent).toBe('Decision on counts.csv');
    const controls = [...pane.querySelectorAll<HTMLElement>('button, textarea, select')];
    const named = controls.map(
      c => (c as HTMLTextAreaElement).labels?.[0]?.textContent ?? c.textContent ?? c.ariaLabel ?? ''
    );
    expect(named).toEqual(['Approve', 'Reject', 'Comment', 'Who sees the comment']);
    const actions = [...node.querySelectorAll('footer button')].map(b => b.textContent);
    expect(actions).toEqual(['Submit review', 'Return to author']);
  });

  it('says when the review is blinded', async () => {
    const view = reviewView([table]);
    Object.assign(view, { blinded: true, required_reviewers: 2 });
    const model = new ReviewModel(fakeReviewClient(view).client, trans);
    const workspace = new ReviewWorkspace(model, trans);
    await model.open('j1');
    expect(workspace.node.textContent).toContain(
      '2 checkers review it independently; you see the other review once both are in.'
    );
    workspace.dispose();
  });

  it('is reviewed with the keyboard alone: next, approve, reject with a comment, submit', async () => {
    const { model, list, press, type, selected, sent, node } = setUp([
      table,
      log,
      artifact('weekly.csv', 'output')
    ]);
    await model.open('j1');
    await settle();
    list().focus();
    expect(document.activeElement).toBe(list());
    await press('ArrowDown');
    expect(selected()).toBe('stdout.txt');
    await press('k');
    expect(selected()).toBe('counts.csv');
    // r: rejected, and the keyboard is in the comment.
    await press('r');
    expect(model.form!.get('counts.csv').decision).toBe('reject');
    expect((document.activeElement as HTMLTextAreaElement).name).toBe('comment');
    await type('Week 2 has 3 people.');
    await press('Enter', { ctrlKey: true });
    expect(model.form!.get('counts.csv').comment).toBe('Week 2 has 3 people.');
    expect(selected()).toBe('stdout.txt');
    expect(document.activeElement).toBe(list());
    // a: approved, on to the next undecided one.
    await press('a');
    expect(model.form!.get('stdout.txt').decision).toBe('approve');
    expect(selected()).toBe('weekly.csv');
    const state = list().querySelector<HTMLElement>('[data-path="stdout.txt"]')!;
    expect(state.dataset.decision).toBe('approve');
    expect(state.textContent).toContain('approved');
    await press('a');
    // Nothing is left undecided: the keyboard is on Submit.
    expect((document.activeElement as HTMLElement).textContent).toBe('Submit review');
    (document.activeElement as HTMLButtonElement).click();
    await settle();
    expect(sent).toEqual([
      {
        decisions: [
          {
            path: 'counts.csv',
            decision: 'reject',
            visibility: 'checkers',
            comment: 'Week 2 has 3 people.'
          },
          { path: 'stdout.txt', decision: 'approve', visibility: 'checkers' },
          { path: 'weekly.csv', decision: 'approve', visibility: 'checkers' }
        ]
      }
    ]);
    expect(node.childElementCount).toBe(0);
  });

  it('refuses to approve an image or a log whose preview did not show, and says what to do', async () => {
    const { model, list, press, selected } = setUp([table, cellImage], cellImage.path);
    await model.open('j1');
    await settle();
    list().focus();
    await press('j');
    expect(selected()).toBe(cellImage.path);
    await press('a');
    expect(model.form!.get(cellImage.path).decision).toBeUndefined();
    const alert = document.querySelector('.jp-hbroker-JobsPanel-status[role="alert"]')!;
    expect(alert.textContent).toBe(
      `Look at ${cellImage.path} before approving it: open its preview (select it in the list) and wait until it shows.`
    );
    // Rejecting needs no look.
    expect(model.decide(cellImage.path, 'reject')).toBe(true);
  });

  it('approves together only the outputs that passed every check, never images, logs or review findings', async () => {
    const { model, node } = setUp();
    await model.open('j1');
    await settle();
    const all = node.querySelector<HTMLButtonElement>('.jp-hbroker-ReviewWorkspace-approveAll')!;
    expect(all.textContent).toBe('Approve all that passed every check (6)');
    all.click();
    const decided = twelve.filter(a => model.form!.get(a.path).decision).map(a => a.path);
    expect(decided).toEqual([
      'weekly.csv',
      'summary.txt',
      'counts.ipynb',
      cellText.path,
      'counts.ipynb/cells/4/outputs/0',
      'readme.md'
    ]);
    expect(all.disabled).toBe(true);
    expect(model.form!.undecided()).toEqual([
      'counts.csv',
      'plot.png',
      cellImage.path,
      'hbroker-logs/kernel.log',
      'stdout.txt',
      'means.csv'
    ]);
  });

  it('keeps a comment typed while the preview loads', async () => {
    const { model, node } = setUp([table]);
    const opening = model.open('j1');
    await opening;
    const comment = node.querySelector<HTMLTextAreaElement>('textarea[name="comment"]')!;
    comment.value = 'looked at it';
    comment.dispatchEvent(new Event('input'));
    await settle();
    expect(node.querySelector('td.jp-hbroker-flagged')).not.toBeNull();
    expect(node.querySelector('textarea[name="comment"]')).toBe(comment);
    expect(model.form!.get('counts.csv').comment).toBe('looked at it');
    expect(bodies['counts.csv']).toContain('week 2,3');
  });

  it('takes a checker 9 keys and the comment for a 12-output job (keyboard only)', async () => {
    const { model, list, press, type, keys, sent } = setUp();
    await model.open('j1');
    await settle();
    list().focus();
    // Shift+A: approve all that passed every check (six), leaving six to look at.
    await press('A', { shiftKey: true });
    expect(model.form!.undecided()).toHaveLength(6);
    // Reject the small counts with a comment, then look at and approve the other five.
    await press('r');
    await type('Suppress week 2.');
    await press('Enter', { ctrlKey: true });
    for (let i = 0; i < 5; i++) {
      await press('a');
    }
    // The keyboard is on Submit review: Enter presses it (jsdom needs the click itself).
    expect((document.activeElement as HTMLElement).textContent).toBe('Submit review');
    await press('Enter');
    (document.activeElement as HTMLButtonElement).click();
    await settle();
    expect(sent).toHaveLength(1);
    const comment = 'Suppress week 2.'.length;
    expect(keys() - comment).toBe(9);
    console.log(`review of a 12-output job: ${keys() - comment} keys and the comment's text`);
  });
});
