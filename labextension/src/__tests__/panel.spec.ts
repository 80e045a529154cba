// The jobs panel's rows as the UI contract names them: state and id attributes, "cell i of n" while
// running, the failure reason, real buttons, and a row that opens its job by click or keyboard.
import { nullTranslator } from '@jupyterlab/translation';
import type { IJobActions } from '../actions';
import { JobsModel } from '../model';
import { JobsPanel } from '../panel';
import type { HBrokerClient, Job } from '../request';
import { FakeStream } from './fakeStream';

const trans = nullTranslator.load('hbroker');
const job = (id: string, state: Job['state'], extra: Partial<Job> = {}): Job => ({
  id,
  owner: 'researcher',
  state,
  created_at: new Date(Date.now() - 120000).toISOString(),
  updated_at: new Date(Date.now() - 60000).toISOString(),
  manifest: { notebook: `${id}.ipynb`, study: 'demo' },
  artifacts: [],
  ...extra
});

describe('JobsPanel', () => {
  it('renders one row per job with the contract’s attributes and buttons', async () => {
    const jobs = [
      job('running', 'running', { progress: { cell: 2, cells: 5 } }),
      job('failed', 'run_failed', { reason: 'out of memory' }),
      job('done', 'released')
    ];
    const client = {
      jobs: async () => jobs,
      eventsUrl: (id: string) => id
    } as unknown as HBrokerClient;
    const model = new JobsModel(client, url => new FakeStream(url));
    const calls: string[] = [];
    const actions: IJobActions = {
      open: id => calls.push(`open ${id}`),
      cancel: id => calls.push(`cancel ${id}`),
      openResults: id => calls.push(`results ${id}`),
      insertResults: id => calls.push(`insert ${id}`)
    };
    const panel = new JobsPanel(model, actions, trans);
    await model.refresh();
    expect(panel.id).toBe('hbroker-jobs');
    expect(panel.title.caption).toBe('Sensitive runs');

    const row = (id: string) =>
      panel.node.querySelector(`.jp-hbroker-JobRow[data-job-id="${id}"]`) as HTMLElement;
    expect(row('running').dataset.state).toBe('running');
    expect(row('running').querySelector('.jp-hbroker-JobRow-progress')!.textContent).toBe(
      'cell 2 of 5'
    );
    expect(row('running').textContent).toMatch(/2 min ago · took 2 min/);
    expect(row('failed').querySelector('.jp-hbroker-JobRow-reason')!.textContent).toBe(
      'out of memory'
    );
    expect(row('failed').textContent).toMatch(/took 1 min/);
    const names = (id: string) => [...row(id).querySelectorAll('button')].map(b => b.textContent);
    expect(names('running')).toEqual(['Cancel']);
    expect(names('failed')).toEqual([]);
    expect(names('done')).toEqual(['Open results', 'Insert into notebook']);

    row('running').querySelector('button')!.click();
    row('done').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    (row('failed').querySelector('.jp-hbroker-JobRow-title') as HTMLElement).click();
    expect(calls).toEqual(['cancel running', 'open done', 'open failed']);
    expect(row('done').tabIndex).toBe(0);
    panel.dispose();
    model.dispose();
  });

  it('says what to do when there are no jobs, and shows the service error as an alert', async () => {
    const client = {
      jobs: async () => {
        throw new Error('The HBroker service could not be reached.');
      }
    } as unknown as HBrokerClient;
    const model = new JobsModel(client, url => new FakeStream(url));
    const panel = new JobsPanel(model, {} as IJobActions, trans);
    expect(panel.node.textContent).toContain('No sensitive runs yet');
    await model.refresh();
    const status = panel.node.querySelector('.jp-hbroker-JobsPanel-status')!;
    expect(status.getAttribute('role')).toBe('alert');
    expect(status.textContent).toBe('The HBroker service could not be reached.');
  });
});

describe('JobsPanel rows of the same notebook', () => {
  it('tell apart by folder, study and, for admins, owner, and filter on them', async () => {
    const jobs = [
      job('a', 'released', { manifest: { notebook: 'analysis.ipynb', study: 'demo' } }),
      job('b', 'released', { manifest: { notebook: 'analysis.ipynb', study: 'demo' } }),
      job('c', 'running', {
        owner: 'alice',
        manifest: { notebook: 'analysis.ipynb', study: 'heart-2' }
      })
    ];
    const client = { jobs: async () => jobs, eventsUrl: (id: string) => id };
    const model = new JobsModel(client as unknown as HBrokerClient, url => new FakeStream(url));
    const folders: Record<string, string> = { a: 'heart-rate', b: '' };
    const panel = new JobsPanel(model, {} as IJobActions, trans, id => folders[id]);
    await model.refresh();
    const origin = (id: string) =>
      panel.node.querySelector(`[data-job-id="${id}"] .jp-hbroker-JobRow-origin`)!.textContent;
    expect(origin('a')).toBe('in heart-rate · study demo');
    expect(origin('b')).toBe('in your home folder · study demo');
    expect(origin('c')).toBe('study heart-2');
    panel.setViewer({ user: 'admin', admin: true });
    expect(origin('c')).toBe('study heart-2 · by alice');

    const filter = panel.node.querySelector<HTMLInputElement>('input[type="search"]')!;
    expect(filter.getAttribute('aria-label')).toBe('Filter sensitive runs');
    const shown = () =>
      [...panel.node.querySelectorAll<HTMLElement>('.jp-hbroker-JobRow')].map(r => r.dataset.jobId);
    filter.value = 'Heart-Rate';
    filter.dispatchEvent(new Event('input'));
    expect(shown()).toEqual(['a']);
    filter.value = 'alice';
    filter.dispatchEvent(new Event('input'));
    expect(shown()).toEqual(['c']);
    filter.value = 'nothing like it';
    filter.dispatchEvent(new Event('input'));
    expect(shown()).toEqual([]);
    expect(panel.node.querySelector('.jp-hbroker-JobsPanel-status')!.textContent).toBe(
      'No sensitive run matches "nothing like it".'
    );
    panel.dispose();
    model.dispose();
  });
});
