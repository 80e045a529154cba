import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HBrokerError } from '../errors.js';
import { SqliteStore } from '../store/index.js';
import { checkRunsPerDay } from './daily-runs.js';

const dir = mkdtempSync(join(tmpdir(), 'hbroker-daily-'));
const store = new SqliteStore(join(dir, 'store.sqlite'));
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const now = new Date('2026-11-21T12:00:00Z');
let n = 0;
function job(study: string, hoursAgo: number, owner = 'researcher', ran = true): void {
  const id = `job-${n++}`;
  const at = new Date(now.getTime() - hoursAgo * 3600_000).toISOString();
  store.createJob({ id, owner, created_at: at, manifest: { notebook: 'a.ipynb', study } });
  const states = ran ? ['archived', 'building', 'staging', 'running'] : ['canceled'];
  for (const state of states) {
    store.appendEvent({ job_id: id, at, type: 'state', state: state as 'running' });
  }
}

describe('runs per day', () => {
  it('refuses the run over the limit with 429, naming when the next one is possible', () => {
    job('demo', 30); // over a day ago: not counted
    job('demo', 20);
    job('demo', 2);
    job('demo', 1, 'researcher', false); // canceled before it ran: costs nothing
    job('other', 1);
    job('demo', 1, 'someone-else');
    checkRunsPerDay(store, 'researcher', 'demo', 3, now);
    job('demo', 0.5);
    assert.throws(
      () => checkRunsPerDay(store, 'researcher', 'demo', 3, now),
      (e: unknown) =>
        e instanceof HBrokerError &&
        e.status === 429 &&
        e.code === 'too_many_runs' &&
        /3 sensitive runs on study "demo" in the last 24 hours/.test(e.message) &&
        /next run is possible at 2026-11-21T16:00:00Z/.test(e.message)
    );
    checkRunsPerDay(store, 'researcher', 'other', 3, now);
    checkRunsPerDay(store, 'someone-else', 'demo', 3, now);
  });
});
