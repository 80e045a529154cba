// HBroker's table rules against ACRO (Python `acro`, the reference): the same seeded frequency and magnitude
// tables, the same cells flagged by the minimum threshold, zeros, nk-dominance and p% rules, on every table.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acroTables, hbrokerFlags, type Cells, type IAcroTable } from './support/acro.js';

const sorted = (cells: Cells) => [...cells].sort((a, b) => a[0] - b[0] || a[1] - b[1]);

describe('table rules against ACRO', () => {
  const { tables } = acroTables(40);

  it('has generated both kinds, with cells that pass and cells that fail each rule', () => {
    assert.equal(tables.filter(t => t.kind === 'frequency').length, 20);
    for (const rule of ['threshold', 'zeros', 'nk', 'p'] as const) {
      assert.ok(
        tables.some(t => (t.acro[rule]?.length ?? 0) > 0),
        `${rule} flags something`
      );
    }
    const clean = (t: IAcroTable) => Object.values(t.acro).every(cells => cells.length === 0);
    assert.ok(
      tables.some(t => t.kind === 'frequency' && clean(t)),
      'a frequency table passes'
    );
    assert.ok(
      tables.some(t => t.kind === 'magnitude' && clean(t)),
      'a magnitude table passes'
    );
  });

  it('flags the same cells as ACRO for threshold, zeros, nk and p% on every table', () => {
    tables.forEach((t, i) => {
      const ours = hbrokerFlags(t);
      for (const rule of Object.keys(ours)) {
        const theirs = t.acro[rule as keyof IAcroTable['acro']];
        assert.ok(theirs, `ACRO applied ${rule} to table ${i} (${t.kind})`);
        assert.deepEqual(sorted(ours[rule]), sorted(theirs), `${rule} on table ${i} (${t.kind})`);
        assert.equal(ours[rule].length > 0, theirs.length > 0, `${rule} verdict on table ${i}`);
      }
    });
  });
});
