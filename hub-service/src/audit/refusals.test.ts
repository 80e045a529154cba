import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEntry } from '../schema/index.js';
import { SqliteStore } from '../store/index.js';
import { AuditLog, verifyAudit } from './index.js';
import { RefusalTally } from './refusals.js';

const detail = (e: AuditEntry) => e.detail as { code: string; count: number };

describe('RefusalTally', () => {
  it('writes one entry with a count per caller and reason per window, not one per refusal', () => {
    const store = new SqliteStore(':memory:');
    const tally = new RefusalTally(new AuditLog(store), 3600);
    for (let i = 0; i < 500; i++) {
      tally.count('anonymous 127.0.0.1', 'unauthenticated');
    }
    for (let i = 0; i < 3; i++) {
      tally.count('ada', 'invalid_bundle');
    }
    tally.count('ada', 'unknown_study');
    assert.equal(store.audit().length, 0, 'nothing is written before the window closes');
    tally.flush();
    const entries = store.audit();
    assert.deepEqual(
      entries.map(e => [e.actor, e.action, detail(e).code, detail(e).count]),
      [
        ['anonymous 127.0.0.1', 'request.refused', 'unauthenticated', 500],
        ['ada', 'request.refused', 'invalid_bundle', 3],
        ['ada', 'request.refused', 'unknown_study', 1]
      ]
    );
    tally.flush();
    assert.equal(store.audit().length, 3, 'an empty window writes nothing');
    tally.count('ada', 'invalid_bundle');
    tally.close();
    assert.equal(store.audit().length, 4, 'closing writes what is pending');
    assert.equal(verifyAudit(store.audit()).ok, true);
  });

  it('counts callers beyond a thousand per window under "others", so spoofed callers cannot grow it', () => {
    const store = new SqliteStore(':memory:');
    const tally = new RefusalTally(new AuditLog(store), 3600);
    for (let i = 0; i < 1500; i++) {
      tally.count(`anonymous 10.0.${i >> 8}.${i & 255}`, 'unauthenticated');
    }
    tally.close();
    const entries = store.audit();
    assert.equal(entries.length, 1001);
    assert.deepEqual(
      entries.filter(e => e.actor === 'others').map(e => detail(e).count),
      [500]
    );
  });
});
