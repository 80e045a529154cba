import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordChecker } from './records.js';
import { context, fileCandidate, outputCandidate, stream } from './test-candidates.js';

const index = {
  identifiers: [],
  records: [
    { patient: 'synthetic-000', time: '2026-02-01T08:00:00Z', value: '64' },
    { patient: 'synthetic-000', time: '2026-02-02T08:00:00Z', value: '72' },
    { patient: 'synthetic-001', time: '2026-02-01T08:00:00Z', value: '61' },
    { patient: 'synthetic-001', time: '2026-02-03T08:30:00Z', value: '80' }
  ]
};
const checker = new RecordChecker(3);

describe('RecordChecker', () => {
  it('fails rows printed by pandas even without the patient column (times reformatted, 64 as 64.0)', async () => {
    const printed = `      effective_time  heart_rate
0 2026-02-01 08:00:00+00:00        64.0
1 2026-02-02 08:00:00+00:00        72.0
2 2026-02-01 08:00:00+00:00        61.0
`;
    const c = outputCandidate(stream(printed));
    const [f] = await checker.check(c, context(c, index));
    assert.equal(f.verdict, 'fail');
    assert.equal(f.location?.row, 1);
    assert.match(f.reason, /^3 staged records/);
  });

  it('sends a single matching row to review and passes aggregates', async () => {
    const one = fileCandidate('x.csv', 'time,value\n2026-02-03T08:30:00Z,80\n');
    assert.equal((await checker.check(one, context(one, index)))[0].verdict, 'review');
    const summary = fileCandidate('s.csv', 'day,mean\n2026-02-01,62.5\n2026-02-02,72\n');
    assert.equal((await checker.check(summary, context(summary, index)))[0].verdict, 'pass');
  });

  it('does not match a time with another value', async () => {
    const c = outputCandidate(stream('2026-02-01 08:00 99\n2026-02-02T08:00:00Z 73\n'));
    assert.equal((await checker.check(c, context(c, index)))[0].verdict, 'pass');
  });
});
