// Tabular disclosure control on CSV outputs and pandas HTML tables: ACRO's threshold, zeros and degrees-of-freedom
// rules on the counts a table shows; dominance (nk, p%) needs cell contributions, which a table does not show.
import type { Finding } from '../schema/index.js';
import { locate, type ICandidate, type IChecker, type IVetContext } from './index.js';
import {
  belowThreshold,
  disclosiveZero,
  lowDof,
  acroDefaults,
  type SdcRules
} from './sdc-rules.js';
import { cellNumber, type ITable } from './tables.js';
import { columnStatistic, labelColumnsOf, tableShape } from './table-shape.js';
import { rowLevelFound, type RowLevelChecker } from './row-level.js';

export { columnStatistic, type ColumnStatistic } from './table-shape.js';

/** A flagged cell: data row, column index. */
export interface ICellFlag {
  row: number;
  column: number;
}

export interface ITableVerdict {
  kind: 'frequency' | 'magnitude' | 'unrecognised';
  threshold: ICellFlag[];
  zeros: ICellFlag[];
  dof: ICellFlag[];
  /** Statistics whose rules need what the table does not show (contributions, or counts). */
  unverifiable: string[];
}

/** ACRO's rules on one table, with what HBroker can see in it; `variables` are the staged value columns' names. */
export function checkTable(
  table: ITable,
  r: SdcRules,
  variables: ReadonlySet<string> = new Set()
): ITableVerdict {
  const shape = tableShape(table, variables);
  const named = shape.columns;
  const columns = [...named.keys()];
  const values = table.rows.map(row => row.map(cell => cellNumber(cell)));
  const verdict: ITableVerdict = {
    kind: shape.kind,
    threshold: [],
    zeros: [],
    dof: [],
    unverifiable: []
  };
  const countColumn = columns.find(
    i => named.get(i) === 'count' && columnStatistic(table.header[i]) === 'count'
  );
  const unverifiable = new Set<string>();
  values.forEach((row, r0) => {
    const rowCount = countColumn === undefined ? undefined : row[countColumn];
    for (const column of columns) {
      const value = row[column];
      const flag = { row: r0, column };
      switch (named.get(column)) {
        case 'count':
          if (value === undefined) {
            break; // an empty or suppressed cell
          }
          // As in ACRO, a zero is also below the threshold: both rules flag it.
          if (disclosiveZero(value, r)) {
            verdict.zeros.push(flag);
          }
          if (belowThreshold(value, r)) {
            verdict.threshold.push(flag);
          }
          break;
        case 'magnitude':
        case 'order':
          if (named.get(column) === 'magnitude') {
            unverifiable.add('dominance (nk and p%)');
          }
          if (rowCount === undefined) {
            unverifiable.add('the minimum count');
          } else {
            if (disclosiveZero(rowCount, r) && named.get(column) === 'order') {
              verdict.zeros.push(flag);
            }
            if (belowThreshold(rowCount, r)) {
              verdict.threshold.push(flag);
            }
          }
          break;
        case 'spread':
          if (rowCount === undefined) {
            unverifiable.add('the residual degrees of freedom');
          } else if (lowDof(rowCount - 1, r)) {
            verdict.dof.push(flag);
          }
          break;
      }
    }
  });
  verdict.unverifiable = [...unverifiable];
  return verdict;
}

/** Advice the author can follow: a count column only when the table lacks one; dominance needs a checker. */
function unverifiableAdvice(unverifiable: string[]): Finding['mitigations'] {
  const advice: Finding['mitigations'] = [];
  if (unverifiable.some(u => u !== 'dominance (nk and p%)')) {
    advice.push({
      action: 'review',
      detail:
        'Add a count column (e.g. named "count") beside means and spreads so the minimum count can be checked.'
    });
  }
  if (unverifiable.includes('dominance (nk and p%)')) {
    advice.push({
      action: 'review',
      detail:
        "Dominance needs each person's contribution, which no table shows: ask an output checker to confirm it, or release counts instead of sums and means."
    });
  }
  return advice;
}

/** Findings listed cell by cell before the rest are summed up. */
const listed = 10;

export class TableChecker implements IChecker {
  readonly name = 'tables';

  /** With `rowLevel`, a table that lists row-level data is never judged an aggregate that passes. */
  constructor(
    private rules: SdcRules = acroDefaults,
    private rowLevel?: RowLevelChecker
  ) {}

  async check(c: ICandidate, { index, content }: IVetContext): Promise<Finding[]> {
    const findings: Finding[] = [];
    const all = await content.tables();
    if (all.length === 0) {
      return findings;
    }
    const variables = this.rowLevel?.series(index).variables;
    const rowLevel = this.rowLevel && rowLevelFound(await this.rowLevel.detect(index, content));
    const tables = all.filter(t => !t.truncated);
    const r = this.rules;
    if (tables.length < all.length) {
      // Only as many rows are read as the vet stage parses; a longer table is not passed unread.
      findings.push({
        check: this.name,
        verdict: 'review',
        reason: 'A table is too long to check its cells automatically.',
        location: locate(c),
        mitigations: [
          { action: 'aggregate', detail: 'Group the rows into a shorter summary table.' }
        ]
      });
    }
    const suppressOrRound: Finding['mitigations'] = [
      {
        action: 'suppress',
        detail: `Suppress the flagged cells (and enough others that they cannot be recomputed from totals).`
      },
      {
        action: 'round',
        detail: `Or group categories until every count is at least ${r.threshold}, then round counts to base ${r.round_base}.`
      }
    ];
    tables.forEach((table, t) => {
      const name = tables.length > 1 ? `Table ${t + 1}` : 'The table';
      const v = checkTable(table, r, variables);
      const rules: [ICellFlag[], string, Finding['mitigations']][] = [
        [v.threshold, `a count below ${r.threshold}`, suppressOrRound],
        [
          v.zeros,
          'a zero count, which discloses that nobody in the group has that attribute',
          suppressOrRound
        ],
        [
          v.dof,
          `a standard deviation with fewer than ${r.dof_threshold} residual degrees of freedom`,
          [
            {
              action: 'aggregate',
              detail: 'Report spreads only for groups of more than ' + r.dof_threshold + ' people.'
            }
          ]
        ]
      ];
      for (const [flags, what, mitigations] of rules) {
        for (const f of flags.slice(0, listed)) {
          findings.push({
            check: this.name,
            verdict: 'fail',
            reason: `${name} has ${what} here.`,
            location: locate(c, { row: f.row, column: String(f.column) }),
            mitigations
          });
        }
        if (flags.length > listed) {
          findings.push({
            check: this.name,
            verdict: 'fail',
            reason: `${name} has ${flags.length} cells with ${what} in all.`,
            location: locate(c),
            mitigations
          });
        }
      }
      if (v.unverifiable.length > 0) {
        findings.push({
          check: this.name,
          verdict: 'review',
          reason: `${name} is a magnitude table: ${v.unverifiable.join(', ')} cannot be checked from the table alone; an output checker must confirm it.`,
          location: locate(c),
          mitigations: unverifiableAdvice(v.unverifiable)
        });
      }
      if (v.kind === 'unrecognised') {
        findings.push({
          check: this.name,
          verdict: 'review',
          reason: `${name} has values in columns that are neither named as a count or a statistic nor laid out as a cross-tabulation, so HBroker cannot tell counts from raw values; an output checker must decide.`,
          location: locate(c),
          mitigations: [
            {
              action: 'review',
              detail:
                'Name count columns "count" (value_counts(), size().rename("count"), agg(["count"])) or build the table with pd.crosstab.'
            }
          ]
        });
      } else if (rowLevel) {
        findings.push({
          check: this.name,
          verdict: 'review',
          reason: `${name} is not judged as an aggregate: the artifact lists row-level data (see the row-level-data finding).`,
          location: locate(c)
        });
      } else if (
        v.threshold.length + v.zeros.length + v.dof.length === 0 &&
        v.unverifiable.length === 0
      ) {
        findings.push({
          check: this.name,
          verdict: 'pass',
          reason:
            table.header.length <= labelColumnsOf(table)
              ? `${name} holds labels only, no counts or statistics.`
              : `${name} is a ${v.kind} table; every count is at least ${r.threshold}${r.zeros_disclosive ? ' and none is zero' : ''}.`,
          location: locate(c)
        });
      }
    });
    return findings;
  }
}
