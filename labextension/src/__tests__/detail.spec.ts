// The job detail: the state timeline from the event stream (with failure reasons), each output's
// findings and the checkers' comments, and the actions a finished job offers.
import { nullTranslator } from '@jupyterlab/translation';
import type { IJobActions } from '../actions';
import { JobDetail } from '../detail';
import { JobsModel } from '../model';
import type { HBrokerClient, Job } from '../request';
import { FakeStream } from './fakeStream';

const trans = nullTranslator.load('hbroker');

const released: Job = {
  id: 'j1',
  owner: 'researcher',
  state: 'released',
  created_at: '2026-01-01T10:00:00Z',
  updated_at: '2026-01-01T10:01:00Z',
  manifest: { notebook: 'analysis.ipynb', study: 'demo', justification: 'weekly means' },
  artifacts: [
    {
      path: 'summary.csv',
      kind: 'output',
      size: 94,
      sha256: '0'.repeat(64),
      status: 'withheld',
      findings: [
        {
          check: 'tables',
          verdict: 'review',
          reason: 'A magnitude table needs a count column.',
          mitigations: [{ action: 'aggregate', detail: 'Add a count column.' }]
        }
      ]
    }
  ],
  feedback: {
    outcome: 'released',
    requested_changes: [],
    comments: [{ path: 'summary.csv', decision: 'reject', comment: 'Cells under 10 people.' }]
  }
};

describe('JobDetail', () => {
  it('shows the timeline, findings, comments and the released actions', async () => {
    const streams: FakeStream[] = [];
    const client = {
      job: async () => released,
      eventsUrl: (id: string) => `/events/${id}`
    } as unknown as HBrokerClient;
    const model = new JobsModel(client, () => new FakeStream('unused'));
    const clicked: string[] = [];
    const actions: IJobActions = {
      open: id => clicked.push(`open ${id}`),
      cancel: id => clicked.push(`cancel ${id}`),
      openResults: id => clicked.push(`results ${id}`),
      insertResults: id => clicked.push(`insert ${id}`)
    };
    const detail = new JobDetail('j1', model, actions, trans, url => {
      const s = new FakeStream(url);
      streams.push(s);
      return s;
    });
    await new Promise(r => setTimeout(r, 0));
    expect(streams[0].url).toBe('/events/j1');
    streams[0].emit({
      type: 'state',
      job_id: 'j1',
      seq: 1,
      at: '2026-01-01T10:00:00Z',
      state: 'queued'
    });
    streams[0].emit({
      type: 'progress',
      job_id: 'j1',
      seq: 2,
      at: '2026-01-01T10:00:01Z',
      cell: 1,
      cells: 2
    });
    streams[0].emit({
      type: 'state',
      job_id: 'j1',
      seq: 3,
      at: '2026-01-01T10:01:00Z',
      state: 'released'
    });

    const node = detail.node;
    expect(node.classList).toContain('jp-hbroker-JobDetail');
    const timeline = [...node.querySelectorAll('.jp-hbroker-Timeline li')].map(li =>
      li.getAttribute('data-state')
    );
    expect(timeline).toEqual(['queued', 'released']);
    expect(streams[0].closed).toBe(true);
    expect(node.querySelector('.jp-hbroker-Finding')!.textContent).toContain(
      'tables · review: A magnitude table needs a count column.'
    );
    expect(node.textContent).toContain('What to change: Add a count column.');
    expect(node.querySelector('.jp-hbroker-Comment')!.textContent).toBe(
      'summary.csv (reject): Cells under 10 people.'
    );
    const buttons = [...node.querySelectorAll('button')].map(b => b.textContent);
    expect(buttons).toEqual(['Open results', 'Insert into notebook']);
    (node.querySelectorAll('button')[1] as HTMLButtonElement).click();
    expect(clicked).toEqual(['insert j1']);
    detail.dispose();
  });

  it('puts a failure reason in the timeline', async () => {
    const failed: Job = {
      ...released,
      state: 'run_failed',
      reason: 'timed out',
      feedback: undefined
    };
    const client = { job: async () => failed, eventsUrl: () => '/e' } as unknown as HBrokerClient;
    const stream = new FakeStream('/e');
    const detail = new JobDetail(
      'j1',
      new JobsModel(client, () => stream),
      {} as IJobActions,
      trans,
      () => stream
    );
    await new Promise(r => setTimeout(r, 0));
    stream.emit({
      type: 'state',
      job_id: 'j1',
      seq: 4,
      at: '2026-01-01T10:00:30Z',
      state: 'run_failed',
      reason: 'timed out'
    });
    expect(detail.node.querySelector('.jp-hbroker-Timeline')!.textContent).toContain(
      'run failed — timed out'
    );
    expect(detail.node.querySelector('.jp-hbroker-JobRow-reason')!.textContent).toBe('timed out');
    expect(detail.node.querySelectorAll('button')).toHaveLength(0);
  });
});
