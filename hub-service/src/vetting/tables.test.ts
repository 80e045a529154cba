import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvTable, dataFrameTables, htmlText, parseCsv } from './tables.js';

const crosstabHtml = `<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;"><th>sex</th><th>F</th><th>M</th></tr>
    <tr><th>site</th><th></th><th></th></tr>
  </thead>
  <tbody>
    <tr><th>north</th><td>12</td><td>3</td></tr>
    <tr><th>south &amp; east</th><td>0</td><td>15</td></tr>
  </tbody>
</table>`;

describe('tables', () => {
  it('parses quoted CSV fields and counts rows past the limit without keeping them', () => {
    assert.deepEqual(parseCsv('a,"b, c","d ""q"""\n1,2,3\n', 10).records, [
      ['a', 'b, c', 'd "q"'],
      ['1', '2', '3']
    ]);
    const big = 'x,y\n' + Array.from({ length: 100 }, (_, i) => `${i},1`).join('\n') + '\n';
    const t = csvTable(big, 10)!;
    assert.equal(t.rows.length, 10);
    assert.equal(t.rowCount, 100);
    assert.equal(t.truncated, true);
  });

  it('reads the pandas index as label columns, text ones included', () => {
    assert.equal(csvTable('week,count\n5,12\n6,14\n', 10)!.labelColumns, 1);
    assert.equal(csvTable('site,sex,count\nn,F,12\ns,M,14\n', 10)!.labelColumns, 2);
  });

  it('reads a pandas HTML crosstab: body <th> are labels, <td> are cells', () => {
    const [t] = dataFrameTables(`<div>${crosstabHtml}</div>`, 100);
    assert.equal(t.labelColumns, 1);
    assert.deepEqual(t.header, ['sex site', 'F', 'M']);
    assert.deepEqual(t.rows, [
      ['north', '12', '3'],
      ['south & east', '0', '15']
    ]);
    assert.deepEqual(dataFrameTables('<table><tr><td>1</td></tr></table>', 10), []);
  });

  it('renders HTML as one line per table row', () => {
    assert.match(htmlText(crosstabHtml), /\nnorth\t12\t3\t\nsouth & east\t0\t15\t/);
  });
});
