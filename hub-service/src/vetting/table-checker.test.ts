import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArtifactContent } from './content.js';
import { acroDefaults } from './sdc-rules.js';
import { columnStatistic, TableChecker } from './table-checker.js';
import { context, fileCandidate, html, outputCandidate, stream } from './test-candidates.js';

const checker = new TableChecker(acroDefaults);
const check = async (c: ReturnType<typeof fileCandidate>) => checker.check(c, context(c));

describe('TableChecker', () => {
  it('fails a crosstab with a small count and a zero, cell by cell, with suppress and round mitigations', async () => {
    const findings = await check(
      fileCandidate('crosstab.csv', 'site,F,M\nnorth,12,3\nsouth,0,15\n')
    );
    assert.deepEqual(
      findings.map(f => [f.verdict, f.location?.row, f.location?.column]),
      [
        ['fail', 0, '2'],
        ['fail', 1, '1'],
        ['fail', 1, '1']
      ]
    );
    assert.match(findings[0].reason, /count below 10/);
    assert.match(findings[1].reason, /count below 10/);
    assert.match(findings[2].reason, /zero count/);
    assert.deepEqual(
      findings[0].mitigations?.map(m => m.action),
      ['suppress', 'round']
    );
    assert.ok(
      findings.every(f => !/\b3\b|\b12\b/.test(f.reason)),
      'reasons never quote the data'
    );
  });

  it('passes a frequency table whose counts are all at least 10', async () => {
    const [f] = await check(fileCandidate('ok.csv', 'week,count\n5,12\n6,40\n'));
    assert.equal(f.verdict, 'pass');
    assert.match(f.reason, /frequency table/);
  });

  it('checks means by their count column and sends dominance to review', async () => {
    const low = await check(fileCandidate('m.csv', 'week,count,mean\n5,4,70.1\n6,40,71.0\n'));
    assert.deepEqual(
      low.map(f => [f.verdict, f.location?.row, f.location?.column]),
      [
        ['fail', 0, '1'],
        ['fail', 0, '2'],
        ['review', undefined, undefined]
      ]
    );
    const noCount = await check(fileCandidate('m.csv', 'week,mean\n5,70.1\n'));
    assert.equal(noCount[0].verdict, 'review');
    assert.match(noCount[0].reason, /minimum count/);
  });

  it('advises a count column only to a table that lacks one', async () => {
    const advice = (findings: Awaited<ReturnType<typeof check>>) =>
      findings.flatMap(f => f.mitigations ?? []).map(m => m.detail);
    const withCount = await check(fileCandidate('m.csv', 'week,count,mean\n5,40,70.1\n'));
    assert.equal(withCount[0].verdict, 'review');
    assert.ok(!advice(withCount).some(d => /count column/.test(d)), advice(withCount).join(' '));
    assert.ok(advice(withCount).some(d => /ask an output checker/.test(d)));
    const without = await check(fileCandidate('m.csv', 'week,mean\n5,70.1\n'));
    assert.ok(advice(without).some(d => /Add a count column/.test(d)));
  });

  it('fails a standard deviation over fewer than 11 records (degrees of freedom)', async () => {
    const f = await check(fileCandidate('s.csv', 'g,count,std\na,10,3.2\nb,11,2.9\n'));
    assert.deepEqual(
      f.map(x => [x.verdict, x.location?.row, x.location?.column]),
      [['fail', 0, '2']]
    );
  });

  it('reads pandas HTML tables in cell outputs', async () => {
    const table = `<table border="1" class="dataframe"><thead><tr><th>sex</th><th>F</th><th>M</th></tr></thead>
<tbody><tr><th>north</th><td>12</td><td>3</td></tr></tbody></table>`;
    const c = outputCandidate(html(table), 3);
    const [f] = await checker.check(c, context(c));
    assert.equal(f.verdict, 'fail');
    assert.deepEqual(f.location, { file: c.path, cell: 3, output: 0, row: 0, column: '2' });
  });

  it('reads crosstabs printed to stdout, and leaves printed model summaries to the model check', async () => {
    const printed = outputCandidate(stream('b       u   v\na\nnorth  13  20\nsouth  13   4\n'));
    const [f] = await checker.check(printed, context(printed));
    assert.deepEqual([f.verdict, f.location?.row, f.location?.column], ['fail', 1, '2']);
    const model = outputCandidate(
      stream(
        '           OLS Regression Results\nDep. Variable:    y   R-squared:   0.91\nModel:    OLS   Adj. R-squared:   0.89\n'
      )
    );
    assert.deepEqual(await checker.check(model, context(model)), []);
  });

  it('does not pass a table longer than the rows it read', async () => {
    const long = fileCandidate('long.csv', 'g,n\n' + 'a,12\n'.repeat(20));
    const [f] = await checker.check(long, {
      ...context(long),
      content: new ArtifactContent(long, 10)
    });
    assert.equal(f.verdict, 'review');
  });

  it('names statistics from pandas headers', () => {
    assert.equal(columnStatistic('heart_rate count'), 'count');
    assert.equal(columnStatistic('mean'), 'magnitude');
    assert.equal(columnStatistic('heart_rate_std'), 'spread');
    assert.equal(columnStatistic('median'), 'order');
    assert.equal(columnStatistic('F'), 'unnamed');
  });
});
