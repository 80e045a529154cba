// Runs the ACRO reference script and HBroker's table rules on the same tables (for the test and the benchmark).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  acroDefaults,
  belowThreshold,
  nkDominated,
  pDominated
} from '../../hub-service/src/vetting/sdc-rules.js';
import { checkTable } from '../../hub-service/src/vetting/table-checker.js';
import { csvTable } from '../../hub-service/src/vetting/tables.js';
import { repoRoot } from './service.js';

export type Cells = number[][];
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
