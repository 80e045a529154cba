// Reading times: the fast ISO formatter agrees with Date, slices cover the period, sleep windows wrap.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IPatientBaseline } from './baseline.js';
import { SeededRandom } from './random.js';
import { DAY, iso, momentIn, slotOf, usuallyAsleep } from './timing.js';

describe('reading times', () => {
  it('iso() writes exactly what Date.prototype.toISOString writes, 1900 to 2999', () => {
    const r = new SeededRandom('iso');
    const from = Date.UTC(1900, 0, 1);
    const to = Date.UTC(3000, 0, 1);
    const edges = [from, to - 1, 0, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 11, 31)];
    for (const ms of [
      ...edges,
      ...Array.from({ length: 100_000 }, () => Math.floor(r.uniform(from, to)))
    ]) {
      assert.equal(iso(ms), new Date(ms).toISOString());
    }
  });

  it('cuts the period into equal slices, end to end, and picks moments inside them', () => {
    const start = Date.UTC(2025, 0, 1);
    const end = Date.UTC(2025, 0, 11);
    const r = new SeededRandom('slots');
    for (const n of [1, 3, 10, 240]) {
      let previous = start;
      for (let k = 0; k < n; k++) {
        const slot = slotOf(start, end, k, n);
        assert.equal(slot.start, previous);
        previous = slot.end;
        for (const hours of [undefined, [7, 20]]) {
          const at = momentIn(slot, r, hours);
          assert.ok(at >= slot.start && at < slot.end);
        }
      }
      assert.ok(Math.abs(previous - end) < 1e-6);
    }
    // A day-long slice with preferred hours lands near one of them.
    const at = momentIn(slotOf(start, start + DAY, 0, 1), r, [7]);
    assert.ok(Math.abs((at - start) / 3_600_000 - 7) <= 0.5);
  });

  it('knows when a patient sleeps, across midnight', () => {
    const sleeper = { bedtimeHour: 23, sleepHours: 7.5 } as IPatientBaseline;
    assert.deepEqual(
      [22, 23.5, 0, 3, 6.9, 7.5, 12].map(h => usuallyAsleep(sleeper, h)),
      [false, true, true, true, true, false, false]
    );
    const late = { bedtimeHour: 24.5, sleepHours: 7 } as IPatientBaseline;
    assert.deepEqual(
      [23, 0.2, 1, 7.9, 8.5].map(h => usuallyAsleep(late, h)),
      [false, false, true, true, false]
    );
  });
});
