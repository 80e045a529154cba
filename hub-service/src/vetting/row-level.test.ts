import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IDisclosureIndex } from './index.js';
import { RowLevelChecker } from './row-level.js';
import { TableChecker } from './table-checker.js';
import { acroDefaults } from './sdc-rules.js';
import { context, fileCandidate, outputCandidate, stream } from './test-candidates.js';

/** 6 patients × 8 days of heart rates, written to the staged file day by day (patients interleaved). */
function study(): IDisclosureIndex {
  const records: IDisclosureIndex['records'] = [];
  for (let day = 1; day <= 8; day++) {
    for (let p = 0; p < 6; p++) {
      records.push({
        patient: `p${p}`,
        time: `2026-02-0${day}T08:00:00Z`,
        value: String(50 + ((p * 37 + day * 11) % 97)),
        column: 'csv/heart_rate.csv:heart_rate'
      });
    }
  }
  return { identifiers: [], records };
}

const index = study();
const values = index.records.map(r => r.value);
const series = (p: string) => index.records.filter(r => r.patient === p).map(r => r.value);
const checker = new RowLevelChecker(5);
const verdicts = async (c: ReturnType<typeof fileCandidate>) =>
  (await checker.check(c, context(c, index))).map(f => f.verdict);

describe('RowLevelChecker', () => {
  it('fails a one-column CSV of the staged values in file order', async () => {
    const c = fileCandidate('values.csv', `heart_rate\n${values.join('\n')}\n`);
    const findings = await checker.check(c, context(c, index));
    assert.deepEqual(
      findings.map(f => f.verdict),
      ['fail', 'fail']
    );
    assert.match(findings[0].reason, /consecutive values of the staged data/);
    assert.match(findings[1].reason, /more rows than the study has patients \(6\)/);
    assert.ok(findings.every(f => !values.some(v => f.reason.includes(` ${v} `))));
  });

  it("fails one patient's series in time order or reversed, printed as a list, a Series or a row", async () => {
    const one = series('p3');
    for (const text of [
      `[${one.join(', ')}]\n`,
      `${[...one].reverse().join(' ')}\n`,
      one.map((v, i) => `${i}    ${v}`).join('\n') + '\nName: heart_rate, dtype: int64\n'
    ]) {
      const c = outputCandidate(stream(text));
      const found = await checker.check(c, context(c, index));
      assert.ok(
        found.some(f => f.verdict === 'fail' && /consecutive values/.test(f.reason)),
        text
      );
    }
  });

  it('fails a bracketed list of more staged values than patients, in any order', async () => {
    const sorted = [...values].sort((a, b) => Number(a) - Number(b)).slice(0, 12);
    const c = outputCandidate(stream(`array([${sorted.join(', ')}])\n`));
    const [f] = await checker.check(c, context(c, index));
    assert.equal(f.verdict, 'fail');
    assert.match(f.reason, /list/);
  });

  it('passes counts, short runs, and values that are not in recorded order', async () => {
    const four = series('p1').slice(0, 4);
    for (const text of [
      'week,count\n5,12\n6,40\n7,33\n8,21\n9,18\n10,11\n',
      `${four.join(', ')}\n`,
      `${[series('p0')[0], series('p1')[0], series('p0')[2], series('p2')[5], series('p4')[1]].join(' ')}\n`
    ]) {
      const c = fileCandidate('out.txt', text);
      assert.deepEqual(await verdicts(c), ['pass'], text);
    }
  });

  it('makes the table check stop passing a table that lists row-level data', async () => {
    const tables = new TableChecker(acroDefaults, checker);
    // Staged values under a category-like header: a cross-tabulation's shape, but rows of data.
    const rows = values.slice(0, 30).map((v, i) => `g${i},${v}`);
    const c = fileCandidate('t.csv', `group,x\n${rows.join('\n')}\n`);
    const ctx = context(c, index);
    assert.equal((await checker.check(c, ctx))[0].verdict, 'fail');
    const findings = await tables.check(c, ctx);
    assert.ok(findings.length > 0);
    assert.ok(
      findings.every(f => f.verdict !== 'pass'),
      JSON.stringify(findings)
    );
  });

  it('passes everything when there is no staged data to compare with', async () => {
    const c = fileCandidate('values.csv', `heart_rate\n${values.join('\n')}\n`);
    const [f] = await checker.check(c, context(c));
    assert.equal(f.verdict, 'pass');
  });
});
