// The jobs model: listed from the service, kept live by each job's event stream, announcing state
// changes, and closing a stream when its job ends (EventSource would otherwise reconnect forever).
import { signalToPromise } from '@jupyterlab/testing';
import { JobsModel } from '../model';
import { FakeStream } from './fakeStream';
import type { HBrokerClient, Job } from '../request';

const job = (id: string, state: Job['state'], extra: Partial<Job> = {}): Job => ({
  id,
  owner: 'researcher',
  state,
  created_at: '2026-01-01T10:00:00Z',
  updated_at: '2026-01-01T10:00:00Z',
  manifest: { notebook: 'analysis.ipynb', study: 'demo' },
  artifacts: [],
  ...extra
});

function setUp(jobs: Job[]) {
  const streams: FakeStream[] = [];
  const reloads: string[] = [];
  const client = {
    jobs: async () => jobs,
    job: async (id: string) => {
      reloads.push(id);
      return job(id, 'released', { artifacts: [] });
    },
    cancel: async (id: string) => job(id, 'canceled'),
    eventsUrl: (id: string) => `/events/${id}`
  } as unknown as HBrokerClient;
  const model = new JobsModel(client, url => {
    const s = new FakeStream(url);
    streams.push(s);
    return s;
  });
  return { model, streams, reloads };
}

describe('JobsModel', () => {
  it('lists jobs newest first and follows only the unfinished ones', async () => {
    const { model, streams } = setUp([
      job('old', 'released'),
      job('new', 'running', { created_at: '2026-01-02T10:00:00Z' })
    ]);
    await model.refresh();
    expect(model.jobs.map(j => j.id)).toEqual(['new', 'old']);
    expect(streams.map(s => s.url)).toEqual(['/events/new']);
  });

  it('shows progress and state from the stream, and announces state changes', async () => {
    const { model, streams, reloads } = setUp([job('j', 'running')]);
    await model.refresh();
    const stream = streams[0];
    stream.emit({
      type: 'progress',
      job_id: 'j',
      seq: 5,
      at: '2026-01-01T10:00:05Z',
      cell: 2,
      cells: 5
    });
    expect(model.job('j')!.progress).toEqual({ cell: 2, cells: 5 });

    const announced = signalToPromise(model.stateChanged);
    stream.emit({
      type: 'state',
      job_id: 'j',
      seq: 6,
      at: '2026-01-01T10:00:09Z',
      state: 'run_failed',
      reason: 'non-zero exit: cell 3 of 5 raised KeyError'
    });
    const [, change] = await announced;
    expect(change.previous).toBe('running');
    expect(change.job.state).toBe('run_failed');
    expect(change.job.reason).toBe('non-zero exit: cell 3 of 5 raised KeyError');
    expect(model.job('j')!.progress).toBeUndefined();
    expect(stream.closed).toBe(true);
    expect(reloads).toEqual(['j']);
  });

  it('ignores events of jobs it does not know and repeats of the current state', async () => {
    const { model, streams } = setUp([job('j', 'building')]);
    await model.refresh();
    let changes = 0;
    model.stateChanged.connect(() => changes++);
    streams[0].emit({ type: 'state', job_id: 'j', seq: 2, at: 'x', state: 'building' });
    streams[0].emit({ type: 'state', job_id: 'other', seq: 3, at: 'x', state: 'released' });
    expect(changes).toBe(0);
  });

  it('announces a new job and a cancel', async () => {
    const { model, streams } = setUp([]);
    const seen: string[] = [];
    model.stateChanged.connect((_, c) =>
      seen.push(`${c.job.id}:${c.previous ?? 'new'}→${c.job.state}`)
    );
    model.add(job('n', 'queued'));
    await model.cancel('n');
    expect(seen).toEqual(['n:new→queued', 'n:queued→canceled']);
    expect(streams[0].closed).toBe(true);
  });

  it('lets go of a stream the browser closed for good, and follows again on refresh', async () => {
    const { model, streams } = setUp([job('j', 'running')]);
    await model.refresh();
    Object.assign(streams[0], { readyState: 2 });
    streams[0].onerror!(new Event('error'));
    expect(model.error).toMatch(/Lost the live status of job j/);
    await model.refresh();
    expect(streams.map(s => s.url)).toEqual(['/events/j', '/events/j']);
    expect(model.error).toBeUndefined();
  });

  it('keeps the error in words when the service cannot be asked', async () => {
    const { model } = setUp([]);
    (model.client as unknown as { jobs: () => Promise<Job[]> }).jobs = async () => {
      throw new Error('The HBroker service at /services/hbroker/ could not be reached.');
    };
    await model.refresh();
    expect(model.error).toMatch(/could not be reached/);
  });
});
