// A sensitive run end to end on the real Docker engine: data in, vetted CSV out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { file, notebook, submission } from './support/notebook.js';
import { finished, startTestService, type ITestService } from './support/service.js';

describe('a sensitive run', () => {
  let hb: ITestService;
  before(async () => {
    // Progress by cell is asserted below; release policy auto alone would hide it.
    hb = await startTestService({ vetting: { failure_detail: 'cell' } });
  });
  after(async () => {
    await hb.stop();
  });

  it('reads /data, writes a CSV summary, and the CSV comes back released', async () => {
    const nb = notebook(
      'import os, pandas as pd\ndf = pd.read_csv(os.path.join(os.environ["HBROKER_DATA"], "heart_rate.csv"))',
      // Counts only: a table of means goes to an output checker (its dominance cannot be checked automatically).
      'summary = df.groupby(df.patient_id.str[:3]).heart_rate.agg(["count"])\nsummary.to_csv("summary.csv")',
      'print(len(df))'
    );
    const { status, body } = await hb.submit(
      await submission([file('analysis.ipynb', nb)], { outputs: ['summary.csv'] })
    );
    assert.equal(status, 201, JSON.stringify(body));
    const job = await hb.waitFor(body.id, finished);
    assert.equal(job.state, 'released', job.reason);
    const released = job.artifacts.filter(a => a.status === 'released').map(a => a.path);
    assert.deepEqual(released.sort(), [
      'analysis.ipynb',
      'analysis.ipynb/cells/2/outputs/0',
      'summary.csv'
    ]);
    // The kernel printed nothing to its log: an empty log is no artifact, for no one to review.
    assert.equal(
      job.artifacts.find(a => a.kind === 'log'),
      undefined
    );
    const csv = await hb.api(`/api/v1/jobs/${job.id}/outputs/summary.csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.body, /^patient_id,count\np00,30\np01,30\n$/);
    const executed = await hb.api(`/api/v1/jobs/${job.id}/outputs/analysis.ipynb`);
    assert.equal(executed.body.cells[2].outputs[0].text.join(''), '60\n');

    const events = await hb.events(job.id);
    const states = events.filter(e => e.type === 'state').map(e => e.state);
    assert.deepEqual(states, [
      'queued',
      'archived',
      'building',
      'staging',
      'running',
      'checking',
      'released'
    ]);
    const cells = events.filter(e => e.type === 'progress').map(e => `${e.cell}/${e.cells}`);
    assert.deepEqual(cells.slice(-3), ['1/3', '2/3', '3/3']);
    for (const e of events) {
      assert.deepEqual(
        Object.keys(e).filter(
          k => !['job_id', 'seq', 'at', 'type', 'state', 'reason', 'cell', 'cells'].includes(k)
        ),
        [],
        'events carry no data'
      );
    }
  });

  it('never serves the withheld log, nor anything of an unfinished job', async () => {
    const { body } = await hb.submit(
      await submission([file('analysis.ipynb', notebook('print("hello")'))])
    );
    const job = await hb.waitFor(body.id, finished);
    assert.equal(job.state, 'released');
    const log = await hb.api(`/api/v1/jobs/${job.id}/outputs/hbroker-logs/kernel.log`);
    assert.equal(log.status, 404);
    assert.match(log.body.error.message, /not a released output/);
    const traversal = await hb.api(`/api/v1/jobs/${job.id}/outputs/..%2F..%2Fhbroker.sqlite`);
    assert.equal(traversal.status, 404);
  });

  it('shows a job only to its owner', async () => {
    const { body } = await hb.submit(await submission([file('analysis.ipynb', notebook('1+1'))]));
    const other = await hb.api(`/api/v1/jobs/${body.id}`, { as: hb.otherToken });
    assert.equal(other.status, 404);
    const list = await hb.api('/api/v1/jobs', { as: hb.otherToken });
    assert.equal(list.body.jobs.length, 0);
    const cancel = await hb.api(`/api/v1/jobs/${body.id}/cancel`, {
      method: 'POST',
      as: hb.otherToken
    });
    assert.equal(cancel.status, 404);
    await hb.waitFor(body.id, finished);
  });

  it('cancels a running job and removes its sandbox', async () => {
    const { body } = await hb.submit(
      await submission([file('analysis.ipynb', notebook('import time\ntime.sleep(300)'))])
    );
    await hb.waitFor(body.id, j => j.state === 'running' && Boolean(j.progress?.cell));
    const r = await hb.api(`/api/v1/jobs/${body.id}/cancel`, { method: 'POST' });
    assert.equal(r.status, 200);
    const job = await hb.waitFor(body.id, j => j.state === 'canceled');
    assert.match(job.reason ?? '', /canceled by researcher/);
    await hb.service!.pipeline.drained();
    const again = await hb.api(`/api/v1/jobs/${body.id}/cancel`, { method: 'POST' });
    assert.equal(again.status, 409);
  });
});
