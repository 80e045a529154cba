// HBroker's table rules against ACRO (Python `acro`, the reference): the same seeded frequency and magnitude
// tables, the same cells flagged by the minimum threshold, zeros, nk-dominance and p% rules, on every table.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  acroDefaults,
  belowThreshold,
  nkDominated,
  pDominated
} from '../hub-service/src/vetting/sdc-rules.js';
import { checkTable } from '../hub-service/src/vetting/table-checker.js';
import { csvTable } from '../hub-service/src/vetting/tables.js';
import { repoRoot } from './support/service.js';

type Cells = number[][];
export interface IAcroTable {
  kind: 'frequency' | 'magnitude';
  acro: Partial<Record<'threshold' | 'zeros' | 'nk' | 'p', Cells>>;
  csv?: string;
  cells?: number[][][];
}

/** Runs the reference script: seeded tables and ACRO's verdicts on them. */
export function acroTables(count: number): { acro_seconds: number; tables: IAcroTable[] } {
  const dir = mkdtempSync(join(tmpdir(), 'hbroker-acro-'));
  try {
    const out = join(dir, 'tables.json');
    const run = spawnSync(
      join(repoRoot, '.venv', 'bin', 'python'),
      [join(repoRoot, 'test', 'support', 'acro_tables.py'), out, String(count)],
      { encoding: 'utf8' }
    );
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** HBroker's flagged cells, [row, column] with the label column left out, as ACRO counts them. */
export function hbrokerFlags(t: IAcroTable): Record<string, Cells> {
  const r = acroDefaults;
  if (t.kind === 'frequency') {
    const table = csvTable(t.csv!, 5000)!;
    const v = checkTable(table, r);
    const cells = (flags: { row: number; column: number }[]) =>
      flags.map(f => [f.row, f.column - table.labelColumns]);
    return { threshold: cells(v.threshold), zeros: cells(v.zeros) };
  }
  const where = (rule: (values: number[]) => boolean) =>
    t.cells!.flatMap((row, i) => row.flatMap((values, j) => (rule(values) ? [[i, j]] : [])));
  return {
    threshold: where(values => belowThreshold(values.length, r)),
    nk: where(values => nkDominated(values, r)),
    p: where(values => pDominated(values, r))
  };
}

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
