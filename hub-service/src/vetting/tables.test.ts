import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvTable, dataFrameTables, htmlText, parseCsv, printedTables } from './tables.js';

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

  it('reads tables pandas prints: a crosstab, counts with means, a MultiIndex series', () => {
    const crosstab =
      'b            u   v\na                 \nnorth       13  20\nsouth east  13   4\n';
    assert.deepEqual(printedTables(crosstab, 10), [
      {
        header: ['', 'u', 'v'],
        labelColumns: 1,
        rows: [
          ['north', '13', '20'],
          ['south east', '13', '4']
        ],
        truncated: false,
        rowCount: 2
      }
    ]);
    const means =
      '      count       mean\nweek                  \n1        22  81.454545\n2        22  79.954545\n';
    const [m] = printedTables(means, 10);
    assert.deepEqual([m.header, m.labelColumns], [['', 'count', 'mean'], 1]);
    const multi = 'a           b\nnorth       u    13\n            v    20\ndtype: int64';
    const [s] = printedTables(multi, 10);
    assert.deepEqual(s.rows, [
      ['north', 'u', '13'],
      ['', 'v', '20']
    ]);
    assert.equal(s.labelColumns, 2);
  });

  it('finds no table in ordinary printed text', () => {
    assert.deepEqual(printedTables('(60, 4)\nrows in group 5: 1005\n60\n', 10), []);
    assert.deepEqual(printedTables(' #   Column  Dtype\n 0   a       int64\n', 10), []);
  });
});
