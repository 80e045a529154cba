// The preflight on the real Docker engine: before the real run, the notebook runs on the study's
// synthetic data; a failure ends the job as preflight_failed with its full traceback for the author
// and no real data left staged; a pass is on the timeline, and what it did not write is said.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PreflightResult } from '../hub-service/src/schema/index.js';
import { file, notebook, submission } from './support/notebook.js';
import { finished, startTestService, type ITestService } from './support/service.js';

const secret = 'synthetic-only-4d2b';
const read =
  'import os, pandas as pd\ndf = pd.read_csv(os.path.join(os.environ["HBROKER_DATA"], "heart_rate.csv"))';

describe('the preflight on synthetic data', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService({
      data: { studies_dir: 'studies', synthetic_dir: 'synthetic', staging: 'disk' }
    });
    // The synthetic twin: the same layout, other rows (a marker column the real data lacks).
    cpSync(join(hb.dir, 'studies'), join(hb.dir, 'synthetic'), { recursive: true });
    writeFileSync(
      join(hb.dir, 'synthetic', 'demo', 'heart_rate.csv'),
      'patient_id,effective_time,heart_rate,synthetic\ns1,2026-01-01T08:00:00Z,70,yes\n'
    );
  });
  after(async () => {
    await hb.stop();
  });

  const staged = () => {
    const dir = join(hb.dir, 'state', 'staging');
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  it('ends a job whose notebook fails on synthetic data before any real run, with its traceback', async () => {
    const nb = notebook(read, `raise ValueError(f"${secret} {len(df)} rows")`);
    const { body } = await hb.submit(await submission([file('analysis.ipynb', nb)]));
    const job = await hb.waitFor(body.id, finished);
    assert.equal(job.state, 'preflight_failed');
    assert.match(
      job.reason!,
      /^The preflight failed on synthetic data: .*cell 2 of 2 raised ValueError/
    );
    assert.ok(!job.reason!.includes(secret), 'the reason names the class, never the message');
    assert.deepEqual(staged(), [], 'no real data stays staged');

    const events = await hb.events(job.id);
    const states = events.filter(e => e.type === 'state').map(e => e.state);
    assert.deepEqual(states, ['queued', 'archived', 'building', 'staging', 'preflight_failed']);
    assert.match(
      events.find(e => e.type === 'preflight')!.reason!,
      /^preflight failed on synthetic/
    );

    const result = (await hb.api(`/api/v1/jobs/${job.id}/preflight`)).body as PreflightResult;
    assert.equal(result.outcome, 'failed');
    assert.ok(result.files.some(f => f.path === 'analysis.ipynb'));
    const executed = await hb.api(`/api/v1/jobs/${job.id}/preflight/outputs/analysis.ipynb`);
    assert.equal(executed.status, 200);
    // The whole traceback, message included: the data was synthetic (one row).
    assert.match(JSON.stringify(executed.body), new RegExp(`${secret} 1 rows`));
    for (const path of ['../analysis.ipynb', '..%2F..%2Fhbroker.config.json', 'nope.txt']) {
      const refused = await hb.api(`/api/v1/jobs/${job.id}/preflight/outputs/${path}`);
      assert.equal(refused.status, 404, path);
    }
    const other = await hb.api(`/api/v1/jobs/${job.id}/preflight`, {
      headers: { Authorization: `Bearer ${hb.otherToken}` }
    });
    assert.equal(other.status, 404, "another researcher never sees a job's preflight");
  });

  it('runs the real job after a passing preflight, and says which requested output it did not write', async () => {
    const nb = notebook(read, 'df[["heart_rate"]].describe().loc[["count"]].to_csv("count.csv")');
    const { body } = await hb.submit(
      await submission([file('analysis.ipynb', nb)], { outputs: ['count.csv', 'never.csv'] })
    );
    const job = await hb.waitFor(body.id, finished);
    assert.equal(job.state, 'released', job.reason);
    const events = await hb.events(job.id);
    const order = events
      .filter(e => e.type === 'preflight' || e.type === 'state')
      .map(e => e.state ?? e.type);
    assert.deepEqual(order.slice(3, 6), ['staging', 'preflight', 'running']);
    const result = (await hb.api(`/api/v1/jobs/${job.id}/preflight`)).body as PreflightResult;
    assert.equal(result.outcome, 'passed');
    assert.deepEqual(result.missing, ['never.csv']);
    assert.match(
      events.find(e => e.type === 'preflight')!.reason!,
      /^preflight passed on synthetic data in [\d.]+ s, but did not write "never.csv"/
    );
    assert.equal(job.outcome?.missing, 1, 'the real run misses it too: a finding');
    assert.deepEqual(staged(), []);
  });
});

describe('without synthetic data or with the preflight off', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService({ preflight: false });
  });
  after(async () => {
    await hb.stop();
  });

  it('runs as before, with no preflight on the timeline', async () => {
    const nb = notebook(read, 'print(1)');
    const { body } = await hb.submit(await submission([file('analysis.ipynb', nb)]));
    const job = await hb.waitFor(body.id, finished);
    assert.equal(job.state, 'released', job.reason);
    const events = await hb.events(job.id);
    assert.equal(events.filter(e => e.type === 'preflight').length, 0);
    assert.equal((await hb.api(`/api/v1/jobs/${job.id}/preflight`)).status, 404);
  });
});
