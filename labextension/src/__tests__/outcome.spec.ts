// Honest outcomes: a released job whose requested outputs did not all come back is never shown as a
// plain success, in the badge, the row, the notification or the detail; "Ask for a checker" appears
// only where a checker can release the output, and sends the author's note.
import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { jobOutcome } from '../../../hub-service/src/jobs/outcome';
import { JobsModel } from '../model';
import { notifyStateChange } from '../notifications';
import { badgeLabel, badgeTone, canAskChecker, outcomeSection } from '../outcome';
import { JobsPanel } from '../panel';
import type { Artifact, HBrokerClient, Job } from '../request';
import { FakeStream } from './fakeStream';

const trans = nullTranslator.load('hbroker');

const artifact = (path: string, status: Artifact['status'], verdict?: 'review' | 'fail') => ({
  path,
  kind: 'output' as const,
  size: 10,
  sha256: '0'.repeat(64),
  status,
  findings: verdict
    ? [
        {
          check: verdict === 'fail' ? 'identifiers' : 'tables',
          verdict,
          reason: verdict === 'fail' ? 'An identifier appears here.' : 'A checker must confirm it.',
          location: { file: path, row: 2 },
          mitigations: [{ action: 'remove' as const, detail: 'Drop identifier columns.' }]
        }
      ]
    : []
});

function job(artifacts: Artifact[], outputs: string[], extra: Partial<Job> = {}): Job {
  const base: Job = {
    id: 'j1',
    owner: 'researcher',
    state: 'released',
    release_policy: 'auto',
    created_at: '2026-01-01T10:00:00Z',
    updated_at: '2026-01-01T10:01:00Z',
    manifest: { notebook: 'analysis.ipynb', study: 'demo', outputs },
    artifacts,
    ...extra
  };
  return { ...base, outcome: jobOutcome(base) };
}

const partly = job(
  [
    artifact('a.csv', 'released'),
    artifact('b.csv', 'released'),
    artifact('plot.png', 'withheld', 'review')
  ],
  ['a.csv', 'b.csv', 'plot.png']
);
const nothing = job([artifact('a.csv', 'withheld', 'fail')], ['a.csv', 'missing.csv']);
const everything = job([artifact('a.csv', 'released')], ['a.csv']);

describe('honest outcomes', () => {
  it('labels the badge by what came back of what was asked', () => {
    expect([partly, nothing, everything].map(j => badgeLabel(j, trans))).toEqual([
      'partly released',
      'nothing released',
      'released'
    ]);
    expect([partly, nothing, everything].map(badgeTone)).toEqual(['partial', 'none', 'success']);
  });

  it('shows the summary in the panel row, with a tone that is not success', async () => {
    const client = {
      jobs: async () => [partly],
      eventsUrl: (id: string) => id
    } as unknown as HBrokerClient;
    const model = new JobsModel(client, url => new FakeStream(url));
    const panel = new JobsPanel(model, {} as never, trans);
    await model.refresh();
    const row = panel.node.querySelector('.jp-hbroker-JobRow') as HTMLElement;
    expect(row.dataset.tone).toBe('partial');
    expect(row.querySelector('.jp-hbroker-JobRow-state')!.textContent).toBe('partly released');
    expect(row.querySelector('.jp-hbroker-JobRow-outcome')!.textContent).toBe(
      '2 of 3 requested outputs released, 1 withheld (needs a checker)'
    );
    panel.dispose();
    model.dispose();
  });

  it('notifies a partial release as a warning, and a full one as a success', () => {
    const warning = jest.spyOn(Notification, 'warning');
    const success = jest.spyOn(Notification, 'success');
    const notifier = { openJob: () => undefined };
    notifyStateChange({ job: partly, previous: 'checking' }, notifier, trans);
    expect(warning).toHaveBeenCalledWith(
      'Sensitive run j1: 2 of 3 requested outputs released, 1 withheld (needs a checker).',
      expect.anything()
    );
    expect(success).not.toHaveBeenCalled();
    notifyStateChange({ job: everything, previous: 'checking' }, notifier, trans);
    expect(success).toHaveBeenCalledWith(
      'Sensitive run j1: 1 of 1 requested output released.',
      expect.anything()
    );
    warning.mockRestore();
    success.mockRestore();
  });

  it('lists each requested output with its fate, grouped findings, and Ask for a checker only where it helps', () => {
    const asked: string[] = [];
    const node = outcomeSection(nothing, trans, path => asked.push(path));
    expect(node.querySelector('.jp-hbroker-Outcome-summary')!.textContent).toBe(
      'None of the 2 requested outputs released: 1 withheld (failed a check), 1 not written'
    );
    const items = [...node.querySelectorAll('.jp-hbroker-Requested-item')] as HTMLElement[];
    expect(items.map(i => [i.dataset.path, i.dataset.status])).toEqual([
      ['a.csv', 'withheld'],
      ['missing.csv', 'missing']
    ]);
    expect(items[0].textContent).toContain('An identifier appears (line 3).');
    expect(items[1].textContent).toContain('The run did not write "missing.csv"');
    expect(node.querySelector('.jp-hbroker-AskChecker')).toBeNull();

    const section = outcomeSection(partly, trans, path => asked.push(path));
    const buttons = [...section.querySelectorAll('.jp-hbroker-AskChecker')] as HTMLButtonElement[];
    expect(buttons.map(b => b.closest('li')!.getAttribute('data-path'))).toEqual(['plot.png']);
    buttons[0].click();
    expect(asked).toEqual(['plot.png']);
  });

  it('offers no checker under a policy where checkers already decided', () => {
    const held = { ...partly, release_policy: 'one' as const };
    expect(held.outcome!.requested.some(r => canAskChecker(held, r))).toBe(false);
  });

  it('sends the request with the note and announces the checker’s answer', async () => {
    const requested = job([artifact('plot.png', 'withheld', 'review')], ['plot.png'], {
      review_requests: [
        {
          job_id: 'j1',
          seq: 1,
          requested_by: 'researcher',
          at: '2026-01-01T10:02:00Z',
          paths: ['plot.png'],
          note: 'weekly means',
          after_review: 0
        }
      ]
    });
    const withRequest: Job = {
      ...requested,
      outcome: jobOutcome({ ...requested, reviewRequests: requested.review_requests })
    };
    const approved = job([artifact('plot.png', 'released', 'review')], ['plot.png']);
    const sent: unknown[] = [];
    let listed: Job[] = [withRequest];
    const client = {
      jobs: async () => listed,
      askForChecker: async (...args: unknown[]) => {
        sent.push(args);
        return withRequest;
      },
      eventsUrl: (id: string) => id
    } as unknown as HBrokerClient;
    const model = new JobsModel(client, url => new FakeStream(url));
    await model.refresh();
    await model.askForChecker('j1', ['plot.png'], 'weekly means');
    expect(sent).toEqual([['j1', ['plot.png'], 'weekly means']]);
    expect(model.job('j1')!.outcome!.requested[0].review_request).toBe('open');

    const changes: string[] = [];
    model.stateChanged.connect((_, c) => changes.push(c.job.outcome!.summary));
    listed = [approved];
    await model.refresh();
    expect(changes).toEqual(['1 of 1 requested output released']);
    model.dispose();
  });
});
