import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HBrokerError } from '../errors.js';
import { Admission } from './admission.js';

const MB = 1048576;

describe('Admission (per-caller limits)', () => {
  it('refuses a caller a third submission at once with a 429 sentence, and admits it after one ends', () => {
    const admission = new Admission({ concurrent_submissions: 2, caller_inflight_mb: 100 });
    const first = admission.admit('ada', MB, true);
    admission.admit('ada', MB, true);
    assert.throws(
      () => admission.admit('ada', MB, true),
      (e: HBrokerError) =>
        e.status === 429 && /already has 2 submissions uploading \(the limit is 2\)/.test(e.message)
    );
    // Another caller is not affected by ada's uploads.
    admission.admit('grace', MB, true).release();
    first.release();
    first.release(); // twice is harmless
    admission.admit('ada', MB, true);
    assert.deepEqual(admission.held('ada'), { submissions: 2, bytes: 2 * MB });
  });

  it('refuses bytes in flight over the limit, counting every request of the caller', () => {
    const admission = new Admission({ concurrent_submissions: 10, caller_inflight_mb: 10 });
    const big = admission.admit('ada', 8 * MB, true);
    admission.admit('ada', MB, false);
    assert.throws(
      () => admission.admit('ada', 2 * MB, false),
      (e: HBrokerError) =>
        e.status === 429 && /9 MB of uploads in flight .* limit is 10 MB per caller/.test(e.message)
    );
    big.release();
    admission.admit('ada', 2 * MB, false);
    assert.deepEqual(admission.held('ada'), { submissions: 0, bytes: 3 * MB });
  });
});
