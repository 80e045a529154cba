import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { after, describe, it } from 'node:test';
import { parseConfig } from '../config/index.js';
import { disclosureIndexOf } from '../data/dataset/index.js';
import { HBrokerError } from '../errors.js';
import { OffLoop } from './index.js';
import { decodeIndex } from './staged-index.js';

describe('work off the event loop', () => {
  const root = mkdtempSync(join(tmpdir(), 'hbroker-workers-'));
  const studies = join(root, 'studies');
  mkdirSync(join(studies, 'demo'), { recursive: true });
  writeFileSync(
    join(studies, 'demo', 'heart_rate.csv'),
    'patient_id,effective_time,heart_rate\np001,2026-01-01T08:00:00Z,61\np002,2026-01-02T08:00:00Z,72\n'
  );
  const config = parseConfig({ data: { studies_dir: 'studies' }, state_dir: 'state' }, root);
  const offLoop = new OffLoop(config, 2);
  after(async () => {
    await offLoop.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('stages a study in a worker thread, with the same result as in this one', async () => {
    assert.ok(isMainThread);
    const into = join(root, 'staged');
    mkdirSync(into);
    const staged = await offLoop.dataSource().stage('demo', into, { user: 'researcher' });
    assert.equal(staged.files, 1);
    assert.equal(
      readFileSync(join(into, 'heart_rate.csv'), 'utf8'),
      readFileSync(join(studies, 'demo', 'heart_rate.csv'), 'utf8')
    );
    const index = await offLoop.disclosureIndex(into);
    assert.ok(index instanceof ArrayBuffer, 'the service holds the index as bytes');
    assert.deepEqual(decodeIndex(index), disclosureIndexOf(into));
    assert.deepEqual(decodeIndex(index).identifiers.sort(), ['p001', 'p002']);
    assert.equal(offLoop.threads, 1, 'one worker thread did it, and stays for the next task');
  });

  it('keeps a refusal a sentence with its code and status across the thread', async () => {
    const into = join(root, 'nowhere');
    mkdirSync(into);
    await assert.rejects(
      offLoop.dataSource().stage('no-such-study', into, { user: 'researcher' }),
      (e: unknown) =>
        e instanceof HBrokerError &&
        e.code === 'study_not_found' &&
        e.status === 404 &&
        /Study "no-such-study" has no data on this service/.test(e.message)
    );
  });

  it('vets outputs against the staged index, which is handed over, not copied', async () => {
    const outputDir = join(root, 'outputs');
    mkdirSync(outputDir);
    const leak = 'patient_id,effective_time,heart_rate\np001,2026-01-01T08:00:00Z,61\n';
    writeFileSync(join(outputDir, 'rows.csv'), leak);
    const index = await offLoop.disclosureIndex(join(root, 'staged'));
    const [artifact] = await offLoop.vet(
      {
        files: [{ path: 'rows.csv', size: leak.length, sha256: 'x'.repeat(64) }],
        notebook: 'analysis.ipynb',
        outputDir
      },
      index
    );
    assert.equal(index.byteLength, 0, 'the service no longer holds the index');
    assert.equal(artifact.path, 'rows.csv');
    assert.ok(
      artifact.findings.some(f => f.check === 'identifiers' && f.verdict === 'fail'),
      JSON.stringify(artifact.findings)
    );
  });

  it('refuses tasks once closed', async () => {
    const closed = new OffLoop(config, 1);
    await closed.close();
    await assert.rejects(closed.disclosureIndex(root), /closed/);
  });
});
