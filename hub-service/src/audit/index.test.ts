import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqliteStore } from '../store/index.js';
import { AuditLog, canonicalJson, verifyAudit } from './index.js';

function chain(n: number) {
  const store = new SqliteStore(':memory:');
  const log = new AuditLog(store);
  for (let i = 0; i < n; i++) {
    log.record('researcher', 'job.state', `job-${i}`, { state: 'queued', i });
  }
  return store.audit();
}

describe('audit chain', () => {
  it('hashes canonical JSON, whatever the key order', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, 2], c: null } }),
      '{"a":{"c":null,"d":[1,2]},"b":1}'
    );
  });

  it('verifies an untouched chain', () => {
    assert.deepEqual(verifyAudit(chain(5)), { ok: true, entries: 5, problems: [] });
  });

  it('names an edited entry', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], actor: 'mallory' };
    const verdict = verifyAudit(entries);
    assert.equal(verdict.ok, false);
    assert.deepEqual(verdict.problems, [
      'entry 3 (job.state) was edited after it was written: its hash does not match its content'
    ]);
  });

  it('notices a removed entry and a reordering', () => {
    const entries = chain(5);
    assert.match(
      verifyAudit([...entries.slice(0, 1), ...entries.slice(2)]).problems.join('\n'),
      /entry 2 is missing/
    );
    const swapped = [entries[0], entries[2], entries[1], entries[3]];
    assert.equal(verifyAudit(swapped).ok, false);
  });
});
