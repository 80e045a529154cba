import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acroDefaults } from './sdc-rules.js';
import { TableChecker } from './table-checker.js';
import { tableShape } from './table-shape.js';
import { csvTable, printedTables } from './tables.js';
import { context, fileCandidate } from './test-candidates.js';

const kind = (csv: string, variables = new Set<string>()) =>
  tableShape(csvTable(csv, 100)!, variables).kind;

describe('what a table holds', () => {
  it('reads counts from a column named count with whole numbers, or a cross-tabulation', () => {
    assert.equal(kind('week,count\n5,12\n6,40\n'), 'frequency');
    assert.equal(kind('site,F,M\nnorth,12,3\nsouth,0,15\n'), 'frequency');
    assert.equal(kind('a,0\nx,12\ny,14\n'), 'frequency', 'groupby().size() without a name');
  });

  it('does not read raw values as counts', () => {
    assert.equal(kind('heart_rate\n64\n72\n80\n'), 'unrecognised', 'a single column of values');
    assert.equal(kind(',heart_rate\n0,64\n1,72\n2,80\n'), 'unrecognised', 'pandas row numbers');
    assert.equal(kind('day,v\nmon,64\nmon,72\n'), 'unrecognised', 'repeated labels are not groups');
    assert.equal(
      kind('group,heart_rate\na,640\nb,720\n', new Set(['heart_rate'])),
      'unrecognised',
      'a column named after a staged variable holds its values (or their sum)'
    );
    assert.equal(kind('week,count\n5,12.5\n6,40\n'), 'unrecognised', '"count" over fractions');
    assert.equal(
      kind(',count\n0,64\n1,72\n2,80\n'),
      'unrecognised',
      'values named count in numbered rows are rows of data'
    );
    assert.equal(kind(',band,count\n0,<70,12\n1,70-84,30\n'), 'frequency', 'reset_index()');
  });

  it('keeps named statistics as magnitude tables', () => {
    assert.equal(kind('week,count,mean\n5,12,70.1\n'), 'magnitude');
  });

  it('reads a printed Series by its name line (value_counts)', () => {
    const [table] = printedTables(
      'heart_rate\n64    12\n72    15\nName: count, dtype: int64\n',
      100
    );
    assert.deepEqual(table.header, ['', 'count']);
    assert.equal(tableShape(table, new Set(['heart_rate'])).kind, 'frequency');
  });

  it('sends an unrecognised numeric table to review, never pass', async () => {
    const checker = new TableChecker(acroDefaults);
    const c = fileCandidate('values.csv', 'heart_rate\n64\n72\n80\n');
    const findings = await checker.check(c, context(c));
    assert.deepEqual(
      findings.map(f => f.verdict),
      ['review']
    );
    assert.match(findings[0].reason, /cannot tell counts from raw values/);
  });
});
