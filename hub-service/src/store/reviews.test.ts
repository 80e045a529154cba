import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SqliteStore } from './sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'hbroker-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('stored reviews', () => {
  it('are kept in order, never edited or removed, and survive a restart', () => {
    const path = join(dir, 'reviews.sqlite');
    const store = new SqliteStore(path);
    store.createJob({
      id: 'job-1',
      owner: 'researcher',
      created_at: '2026-11-21T00:00:00Z',
      manifest: { notebook: 'analysis.ipynb', study: 'demo' }
    });
    const at = '2026-11-21T01:00:00Z';
    const first = store.addReview({
      job_id: 'job-1',
      reviewer: 'checker1',
      at,
      decisions: [{ path: 'a.csv', decision: 'reject', visibility: 'checkers' }]
    });
    const second = store.addReview({
      job_id: 'job-1',
      reviewer: 'checker1',
      at,
      decisions: [{ path: 'a.csv', decision: 'approve', comment: 'ok', visibility: 'author' }]
    });
    assert.deepEqual([first.seq, second.seq], [1, 2]);
    store.close();

    const raw = new Database(path);
    assert.throws(() => raw.prepare('UPDATE reviews SET body = ?').run('{}'), /append-only/);
    assert.throws(() => raw.prepare('DELETE FROM reviews').run(), /append-only/);
    raw.close();

    const reopened = new SqliteStore(path);
    assert.deepEqual(reopened.reviews('job-1'), [first, second]);
    reopened.close();
  });
});
