// The review model and panel: the queue, a job with its artifacts, previews with flagged cells,
// a review refused until complete, sent once complete, and the panel's buttons, labels and order.
import { nullTranslator } from '@jupyterlab/translation';
import { TextDecoder, TextEncoder } from 'node:util';
import type { Artifact, HBrokerClient, ReviewSubmission, ReviewView } from '../request';
import { flags, previewOf } from '../review/content';
import { ReviewModel } from '../review/model';
import { ReviewPanel } from '../review/panel';

// jsdom lacks them; the browser has both.
Object.assign(globalThis, { TextDecoder, TextEncoder });

const trans = nullTranslator.load('hbroker');
const sha = '0'.repeat(64);

const table: Artifact = {
  path: 'counts.csv',
  kind: 'output',
  size: 40,
  sha256: sha,
  status: 'pending',
  findings: [
    { check: 'tables', verdict: 'pass', reason: 'ok' },
    {
      check: 'tables',
      verdict: 'fail',
      reason: 'A count of 3 is under the minimum of 10.',
      location: { file: 'counts.csv', row: 1, column: '1' },
      mitigations: [{ action: 'suppress', detail: 'Suppress counts under 10.' }]
    }
  ]
};
const log: Artifact = {
  path: 'stdout.txt',
  kind: 'log',
  size: 20,
  sha256: sha,
  status: 'pending',
  findings: [
    { check: 'identifiers', verdict: 'fail', reason: 'A patient id.', location: { row: 1 } }
  ]
};

const view: ReviewView = {
  job: {
    id: 'j1',
    owner: 'researcher',
    state: 'awaiting_review',
    created_at: '2026-01-01T10:00:00Z',
    updated_at: '2026-01-01T10:01:00Z',
    manifest: { notebook: 'counts.ipynb', study: 'demo', justification: 'weekly counts' },
    artifacts: [table, log]
  },
  required_reviewers: 1,
  blinded: false,
  yours: [],
  others: []
};

const bodies: Record<string, string> = {
  'counts.csv': 'week,count\nweek 1,40\nweek 2,3\n',
  'stdout.txt': 'starting\npatient p-0001\n'
};

function setUp(scopes = ['custom:hbroker:review'], reviewed = false) {
  const sent: ReviewSubmission[] = [];
  const previewed: string[] = [];
  let queue = [
    {
      id: 'j1',
      owner: 'researcher',
      created_at: '2026-01-01T10:00:00Z',
      study: 'demo',
      notebook: 'counts.ipynb',
      release_policy: 'one' as const,
      artifacts: 2,
      flagged: 2,
      reviewed_by_you: reviewed
    }
  ];
  const client = {
    me: async () => ({ user: 'checker1', admin: false, scopes, jhe_token: 'not_applicable' }),
    reviewQueue: async () => ({ jobs: queue }),
    review: async () => view,
    reviewArtifact: async (_id: string, path: string) => {
      previewed.push(path);
      return { type: 'text/csv', body: new TextEncoder().encode(bodies[path]).buffer };
    },
    submitReview: async (_id: string, body: ReviewSubmission) => {
      sent.push(body);
      queue = [];
      return view;
    }
  } as unknown as HBrokerClient;
  return { model: new ReviewModel(client, trans), sent, previewed };
}

describe('review content', () => {
  it('reads a CSV as the vetting does and flags the finding’s cell, not passing findings', () => {
    const preview = previewOf(table, new TextEncoder().encode(bodies['counts.csv']));
    expect(preview).toMatchObject({
      kind: 'table',
      tables: [
        {
          header: ['week', 'count'],
          rows: [
            ['week 1', '40'],
            ['week 2', '3']
          ]
        }
      ]
    });
    const marks = flags(table.findings);
    expect([...marks.cells.keys()]).toEqual(['1:1']);
    expect(marks.rows.size).toBe(0);
  });

  it('shows a pandas HTML cell output as a table, an image output as an image, a stream as text', () => {
    const cell = (output: object): Artifact => ({
      ...table,
      path: 'n.ipynb/cells/1/outputs/0',
      kind: 'cell_output'
    });
    const encode = (o: object) => new TextEncoder().encode(JSON.stringify(o));
    const html =
      '<table border="1" class="dataframe"><thead><tr><th></th><th>count</th></tr></thead>' +
      '<tbody><tr><th>week 1</th><td>40</td></tr></tbody></table>';
    expect(
      previewOf(cell({}), encode({ output_type: 'execute_result', data: { 'text/html': [html] } }))
    ).toMatchObject({ kind: 'table', tables: [{ rows: [['week 1', '40']], labelColumns: 1 }] });
    expect(
      previewOf(cell({}), encode({ output_type: 'display_data', data: { 'image/png': 'iVBO\n' } }))
    ).toEqual({ kind: 'image', src: 'data:image/png;base64,iVBO' });
    expect(
      previewOf(cell({}), encode({ output_type: 'stream', name: 'stdout', text: ['a\n', 'b'] }))
    ).toEqual({ kind: 'text', text: 'a\nb' });
    expect(previewOf({ ...table, path: 'plot.png' }, new Uint8Array([137, 80]))).toEqual({
      kind: 'image',
      src: 'data:image/png;base64,iVA='
    });
  });
});

describe('ReviewModel', () => {
  it('says who may review from the scopes', async () => {
    expect(await setUp().model.mayReview()).toBe(true);
    expect(await setUp(['custom:hbroker:submit']).model.mayReview()).toBe(false);
  });

  it('refuses an incomplete review, naming what is undecided, and sends nothing', async () => {
    const { model, sent } = setUp();
    await model.refresh();
    await model.open('j1');
    model.form!.set('counts.csv', { decision: 'approve' });
    expect(await model.submit()).toBe(false);
    expect(model.error).toContain('stdout.txt');
    expect(sent).toEqual([]);
  });

  it('sends a complete review, then goes back to the (now empty) queue with a message', async () => {
    const { model, sent } = setUp();
    await model.refresh();
    expect(model.queue.map(j => j.id)).toEqual(['j1']);
    await model.open('j1');
    model.form!.set('counts.csv', { decision: 'approve' });
    model.form!.set('stdout.txt', { decision: 'reject', comment: 'ids', visibility: 'author' });
    expect(await model.submit()).toBe(true);
    expect(sent).toEqual([
      {
        decisions: [
          { path: 'counts.csv', decision: 'approve', visibility: 'checkers' },
          { path: 'stdout.txt', decision: 'reject', visibility: 'author', comment: 'ids' }
        ]
      }
    ]);
    expect(model.view).toBeUndefined();
    expect(model.queue).toEqual([]);
    expect(model.message).toBe('Review of job j1 submitted.');
  });

  it('sends a review once, however often Submit is pressed while it is on its way', async () => {
    const { model, sent } = setUp();
    await model.open('j1');
    model.form!.set('counts.csv', { decision: 'approve' });
    model.form!.set('stdout.txt', { decision: 'approve' });
    const results = await Promise.all([model.submit(), model.submit()]);
    expect(results).toEqual([true, false]);
    expect(sent).toHaveLength(1);
  });

  it('returns a job only with requested changes', async () => {
    const { model, sent } = setUp();
    await model.open('j1');
    expect(await model.returnJob()).toBe(false);
    model.form!.changes = 'Round to 5.';
    expect(await model.returnJob()).toBe(true);
    expect(sent).toEqual([{ return: { changes: 'Round to 5.' } }]);
  });
});

describe('ReviewPanel', () => {
  it('says when the review is blinded, and offers to revise a review already sent', async () => {
    const { model } = setUp(undefined, true);
    const panel = new ReviewPanel(model, trans);
    await model.refresh();
    expect(panel.node.querySelector('.jp-hbroker-ReviewRow button')!.textContent).toBe(
      'Revise your review'
    );
    Object.assign(view, { blinded: true, required_reviewers: 2 });
    try {
      await model.open('j1');
      expect(panel.node.querySelector('.jp-hbroker-ReviewJob')!.textContent).toContain(
        '2 checkers review it independently; you see the other review once both are in.'
      );
    } finally {
      Object.assign(view, { blinded: false, required_reviewers: 1 });
    }
    panel.dispose();
  });

  it('lists the queue with a real button, and a job with labelled controls per artifact', async () => {
    const { model } = setUp();
    const panel = new ReviewPanel(model, trans);
    expect(panel.id).toBe('hbroker-review');
    await model.refresh();
    const open = panel.node.querySelector<HTMLButtonElement>('.jp-hbroker-ReviewRow button')!;
    expect(open.getAttribute('aria-label')).toBe('Review job j1 (counts.ipynb)');
    open.click();
    await new Promise(r => setTimeout(r, 0));
    const sections = [...panel.node.querySelectorAll<HTMLElement>('.jp-hbroker-ReviewArtifact')];
    expect(sections.map(s => s.dataset.path)).toEqual(['counts.csv', 'stdout.txt']);
    const first = sections[0];
    expect(first.dataset.flagged).toBe('true');
    // What needs a look comes first; passing checks are folded under a count.
    const findings = [...first.querySelectorAll('.jp-hbroker-Finding')];
    expect(findings.map(f => [f.getAttribute('data-verdict'), !!f.closest('details')])).toEqual([
      ['fail', false],
      ['pass', true]
    ]);
    expect(first.querySelector('details summary')!.textContent).toBe('1 check passed');
    expect(findings[0].textContent).toContain('(row 2, column 2)');
    expect(first.querySelector('legend')!.textContent).toBe('Decision on counts.csv');
    // Every control has a label naming it.
    const controls = [...first.querySelectorAll<HTMLInputElement>('input, textarea, select')];
    const named = controls.map(c => [...c.labels!].map(l => l.textContent!.trim()).join(' '));
    expect(named).toEqual(['Approve', 'Reject', 'Comment', 'Who sees the comment']);
    // Radios of one artifact are one group; another artifact's are another.
    const groups = new Set(
      [...panel.node.querySelectorAll<HTMLInputElement>('input[type=radio]')].map(r => r.name)
    );
    expect(groups.size).toBe(2);
    // Focus order follows the page: back, then each artifact's preview and decision, then submit.
    const buttons = [...panel.node.querySelectorAll('button')].map(b => b.textContent);
    expect(buttons).toEqual([
      'Refresh',
      'Back to the queue',
      'Show preview',
      'Show preview',
      'Submit review',
      'Return to author'
    ]);
    panel.dispose();
  });

  it('marks the flagged cell of a previewed table and keeps what was typed', async () => {
    const { model, previewed } = setUp();
    const panel = new ReviewPanel(model, trans);
    await model.open('j1');
    const comment = panel.node.querySelector<HTMLTextAreaElement>('textarea[name="comment"]')!;
    comment.value = 'looked at it';
    comment.dispatchEvent(new Event('input'));
    panel.node
      .querySelector<HTMLButtonElement>('[aria-label="Show preview of counts.csv"]')!
      .click();
    await new Promise(r => setTimeout(r, 0));
    expect(previewed).toEqual(['counts.csv']);
    const flagged = [...panel.node.querySelectorAll('td.jp-hbroker-flagged')];
    expect(flagged.map(td => td.firstChild!.textContent)).toEqual(['3']);
    expect(flagged[0].getAttribute('title')).toContain('under the minimum of 10');
    expect(panel.node.querySelector<HTMLTextAreaElement>('textarea[name="comment"]')).toBe(comment);
    expect(model.form!.get('counts.csv').comment).toBe('looked at it');
    panel.node
      .querySelector<HTMLButtonElement>('[aria-label="Show preview of stdout.txt"]')!
      .click();
    await new Promise(r => setTimeout(r, 0));
    const line = panel.node.querySelector('.jp-hbroker-Preview-text .jp-hbroker-flagged');
    expect(line!.textContent).toBe('patient p-0001\n');
    panel.dispose();
  });
});
