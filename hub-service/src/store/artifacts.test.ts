import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Artifact } from '../schema/index.js';
import { SqliteStore } from './sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'hbroker-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const job = {
  id: 'job-1',
  owner: 'researcher',
  created_at: '2026-11-21T00:00:00Z',
  manifest: { notebook: 'analysis.ipynb', study: 'demo' }
};
const output: Artifact = {
  path: 'analysis.ipynb/cells/2/outputs/0',
  kind: 'cell_output',
  cell_output: { cell: 2, output: 0, output_type: 'stream', mime: 'text/plain', stream: 'stderr' },
  size: 10,
  sha256: 'a'.repeat(64),
  status: 'withheld',
  findings: [{ check: 'identifiers', verdict: 'fail', reason: 'An identifier appears here.' }]
};

describe('stored artifacts', () => {
  it('keep where a cell output sits in the notebook', () => {
    const store = new SqliteStore(join(dir, 'a.sqlite'));
    store.createJob(job);
    const file: Artifact = { ...output, path: 'summary.csv', kind: 'output', status: 'released' };
    delete file.cell_output;
    store.saveArtifacts(job.id, [output, file]);
    assert.deepEqual(store.artifacts(job.id), [output, file]);
    store.close();
  });

  it('open a store made before cell outputs were artifacts', () => {
    const path = join(dir, 'old.sqlite');
    const old = new Database(path);
    old.exec(`CREATE TABLE artifacts (
      job_id TEXT NOT NULL, path TEXT NOT NULL, kind TEXT NOT NULL, size INTEGER NOT NULL,
      sha256 TEXT NOT NULL, status TEXT NOT NULL, findings TEXT NOT NULL, PRIMARY KEY (job_id, path))`);
    old.close();
    const store = new SqliteStore(path);
    store.createJob(job);
    store.saveArtifacts(job.id, [output]);
    assert.deepEqual(store.artifacts(job.id), [output]);
    store.close();
  });
});
