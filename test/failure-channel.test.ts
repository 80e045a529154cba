// Failures and progress are a channel, end to end on the real Docker engine: a notebook that picks which cell
// fails, and with which built-in exception, from a data value is told so only under failure_detail `cell`;
// under `none` (the default with release policy auto) neither the reason nor the progress names the cell.
// And runs_per_day refuses the next sensitive run with 429, saying when the next one is possible.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { failedWithoutDetail } from '../hub-service/src/jobs/pipeline.js';
import type { Job, JobEvent } from '../hub-service/src/schema/index.js';
import { file, notebook, submission } from './support/notebook.js';
import { finished, startTestService, type ITestService } from './support/service.js';

/** Cell 2 fails with KeyError when the first heart rate is even, else cell 3 with ValueError. */
const choosing = [
  'import os, pandas as pd\ndf = pd.read_csv(os.path.join(os.environ["HBROKER_DATA"], "heart_rate.csv"))',
  'if df.heart_rate.iloc[0] % 2 == 0:\n    raise KeyError("even")',
  'raise ValueError("odd")'
];

async function runToEnd(hb: ITestService, cells: string[], manifest = {}): Promise<Job> {
  const { status, body } = await hb.submit(
    await submission([file('analysis.ipynb', notebook(...cells))], manifest)
  );
  assert.equal(status, 201, JSON.stringify(body));
  return hb.waitFor(body.id, finished);
}

describe('failure_detail cell', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService({ vetting: { failure_detail: 'cell' } });
  });
  after(async () => {
    await hb.stop();
  });

  it('names the failing cell and its built-in exception class, and shows progress by cell', async () => {
    const job = await runToEnd(hb, choosing);
    assert.equal(job.state, 'run_failed');
    // The test study's first heart rate is 60: even.
    assert.equal(job.reason, 'non-zero exit: cell 2 of 3 raised KeyError');
    const cells = (await hb.events(job.id)).filter(e => e.type === 'progress').map(e => e.cell);
    assert.deepEqual(cells, [0, 1, 2]);
  });
});

describe('failure_detail none (the default under release policy auto)', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService({ release: { policy: 'auto' } });
  });
  after(async () => {
    await hb.stop();
  });

  it('says only that the run failed, and no event names the cell that was running', async () => {
    assert.equal(hb.config.vetting.failure_detail, 'none');
    const job = await runToEnd(hb, choosing);
    assert.equal(job.state, 'run_failed');
    assert.equal(job.reason, failedWithoutDetail);
    const events: JobEvent[] = await hb.events(job.id);
    const progress = events.filter(e => e.type === 'progress');
    assert.deepEqual(
      progress.map(e => [e.cell, e.cells]),
      [[0, 3]]
    );
    const seen = JSON.stringify([job, events]);
    assert.doesNotMatch(seen, /KeyError|ValueError|cell 2|"cell":2/);
  });

  it('says the same for a failure in another cell and for a limit', async () => {
    const other = await runToEnd(hb, ['x = 1', 'x = 2', 'raise ValueError("odd")']);
    assert.equal(other.reason, failedWithoutDetail);
    const slow = await runToEnd(hb, ['import time\ntime.sleep(60)'], {
      resources: { timeout_seconds: 5 }
    });
    assert.equal(slow.state, 'run_failed');
    assert.equal(slow.reason, failedWithoutDetail, 'a limit is not named either');
    const healthy = await runToEnd(hb, ['print(6 * 7)']);
    assert.equal(healthy.state, 'released', 'a run that works is unaffected');
  });
});

describe('runs per day', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService({ limits: { runs_per_day: 2 } });
  });
  after(async () => {
    await hb.stop();
  });

  it('refuses the next sensitive run on the study with 429, naming when it is possible', async () => {
    const quick = await submission([file('analysis.ipynb', notebook('print(1)'))]);
    const first = await hb.submit(quick);
    const second = await hb.submit(quick);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(second.status, 201, JSON.stringify(second.body));
    const third = await hb.submit(quick);
    assert.equal(third.status, 429, JSON.stringify(third.body));
    assert.equal(third.body.error.code, 'too_many_runs');
    const next = new Date(Date.parse(first.body.created_at) + 24 * 3600 * 1000)
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    assert.match(third.body.error.message, /2 sensitive runs on study "demo" in the last 24 hours/);
    assert.ok(third.body.error.message.includes(`next run is possible at ${next}`));
    const jobs = await hb.api('/api/v1/jobs');
    assert.equal(jobs.body.jobs.length, 2, 'nothing was stored for the refused run');
    // Another researcher has runs of their own.
    const other = await hb.api('/api/v1/jobs', {
      method: 'POST',
      body: JSON.stringify(quick),
      as: hb.otherToken
    });
    assert.equal(other.status, 201, JSON.stringify(other.body));
    for (const id of [first.body.id, second.body.id]) {
      await hb.waitFor(id, finished);
    }
    for (;;) {
      const job = await hb.api(`/api/v1/jobs/${other.body.id}`, { as: hb.otherToken });
      if (finished(job.body)) {
        break;
      }
      await new Promise(r => setTimeout(r, 250));
    }
  });
});
