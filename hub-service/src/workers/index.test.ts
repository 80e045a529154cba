import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { after, describe, it } from 'node:test';
import { LocalArchive } from '../archive/index.js';
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
  const offLoop = new OffLoop(config, { archiveRoot: join(root, 'archive'), threads: 2 });
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

  it('reads an archived bundle in a worker thread, checked against its hashes', async () => {
    const archive = new LocalArchive(join(root, 'archive'));
    const files = [
      { path: 'analysis.ipynb', mode: 0o644, content: Buffer.from('{"cells":[]}') },
      { path: 'data/big.bin', mode: 0o600, content: randomBytes(3 * 1048576) },
      { path: 'empty.txt', mode: 0o644, content: Buffer.alloc(0) }
    ];
    const { record } = archive.put(
      {
        job_id: 'job-1',
        owner: 'researcher',
        created_at: new Date().toISOString(),
        manifest: { notebook: 'analysis.ipynb', study: 'demo', outputs: [] },
        service_version: '0'
      },
      files
    );
    assert.deepEqual(await offLoop.bundleFiles('job-1'), files);

    // An object changed on disk is refused in the thread, with the archive's own words.
    const big = record.files.find(f => f.path === 'data/big.bin')!;
    const object = join(root, 'archive', 'objects', big.sha256.slice(0, 2), big.sha256.slice(2));
    chmodSync(object, 0o644);
    writeFileSync(object, 'changed');
    await assert.rejects(
      offLoop.bundleFiles('job-1'),
      /archived file data\/big\.bin of job job-1 does not match its hash/
    );
  });

  it('refuses tasks once closed', async () => {
    const closed = new OffLoop(config, { archiveRoot: join(root, 'archive'), threads: 1 });
    await closed.close();
    await assert.rejects(closed.disclosureIndex(root), /closed/);
  });
});
