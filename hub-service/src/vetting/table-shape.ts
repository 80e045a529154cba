// What a table's structure says its columns hold: counts only when a column is named a count or the table
// has a cross-tabulation's shape; values of unknown kind otherwise (a list of raw values is not a count).
import { cellNumber, type ITable } from './tables.js';

/** What a column holds; `unnamed` is a column of values of unknown kind (never judged as counts). */
export type ColumnStatistic = 'count' | 'magnitude' | 'spread' | 'order' | 'unnamed';

const statistics: [ColumnStatistic, RegExp][] = [
  ['count', /^(count|counts|n|size|freq|frequency|frequencies|number|nunique)$/],
  ['magnitude', /^(mean|avg|average|sum|total)$/],
  ['spread', /^(std|sd|var|variance|sem)$/],
  ['order', /^(median|min|max|minimum|maximum|mode|first|last|q\d+|p\d+)$/]
];

/** A column's statistic from its header's last word (pandas names aggregations: count, mean, std, ...). */
export function columnStatistic(header: string): ColumnStatistic {
  const word =
    header
      .trim()
      .toLowerCase()
      .split(/[\s_.:()]+/)
      .filter(Boolean)
      .pop() ?? '';
  return statistics.find(([, pattern]) => pattern.test(word))?.[0] ?? 'unnamed';
}

const isCount = (v: number | undefined) => v !== undefined && Number.isInteger(v) && v >= 0;

/** Label columns: the table's own, then any leading column without numbers (reset_index() moves labels into data). */
export function labelColumnsOf(table: ITable): number {
  let labels = table.labelColumns;
  while (
    labels < table.header.length - 1 &&
    table.rows.every(r => cellNumber(r[labels] ?? '') === undefined)
  ) {
    labels++;
  }
  return labels;
}

/** pandas' default row numbers 0, 1, 2, ... in the first column: they number rows, they are no group. */
const numbersRows = (table: ITable) => table.rows.every((r, i) => cellNumber(r[0]) === i);

/** Each row is one group: its labels (leaving out row numbers) are there and differ from every other row's. */
export function rowsAreGroups(table: ITable): boolean {
  const labels = labelColumnsOf(table);
  const from = numbersRows(table) ? 1 : 0;
  if (from >= labels || table.rows.length === 0) {
    return false;
  }
  const keys = table.rows.map(r => r.slice(from, labels).join('\u0000'));
  return new Set(keys).size === keys.length;
}

/**
 * A cross-tabulation (pd.crosstab, pivot_table, groupby().size()): rows that are groups, and value columns
 * headed by categories rather than by the name of a staged variable (a column `heart_rate` holds heart
 * rates, or their sum, whatever the numbers look like).
 */
export function isCrossTabulation(table: ITable, variables: ReadonlySet<string>): boolean {
  const labels = labelColumnsOf(table);
  return (
    labels < table.header.length &&
    !table.header.slice(labels).some(h => variables.has(h.trim().toLowerCase())) &&
    rowsAreGroups(table)
  );
}

export interface ITableShape {
  /** frequency: counts only; magnitude: statistics of values; unrecognised: some column holds values of unknown kind. */
  kind: 'frequency' | 'magnitude' | 'unrecognised';
  /** Each value column's statistic, by column index (label columns are absent). */
  columns: Map<number, ColumnStatistic>;
}

/** Reads what each value column of a table holds, from its name, its values and the table's shape. */
export function tableShape(table: ITable, variables: ReadonlySet<string> = new Set()): ITableShape {
  const columns = new Map<number, ColumnStatistic>();
  const crossTab = isCrossTabulation(table, variables);
  const groups = rowsAreGroups(table);
  const labels = labelColumnsOf(table);
  // No value column: a list. Of labels it shows no statistic; of numbers (beyond row numbers), raw values.
  const rowNumbers = numbersRows(table);
  let unknown =
    table.header.length <= labels &&
    table.rows.some(r =>
      r.some((cell, j) => (j > 0 || !rowNumbers) && cellNumber(cell) !== undefined)
    );
  let magnitude = false;
  for (let i = labels; i < table.header.length; i++) {
    const numbers = table.rows.map(row => cellNumber(row[i] ?? '')).filter(v => v !== undefined);
    let statistic = columnStatistic(table.header[i]);
    if (statistic === 'count' && !numbers.every(isCount)) {
      statistic = 'unnamed'; // "count" over values that are not counts says nothing
    } else if (statistic === 'unnamed' && crossTab && numbers.length > 0) {
      // A cross-tabulation of whole numbers holds counts; of other numbers, a statistic of values.
      statistic = numbers.every(isCount) ? 'count' : 'magnitude';
    }
    // Numbers in rows that are no groups (numbered or repeated rows) are rows of data, whatever their name.
    if (numbers.length > 0 && (statistic === 'unnamed' || !groups)) {
      unknown = true;
    }
    if (statistic !== 'count' && statistic !== 'unnamed') {
      magnitude = true;
    }
    columns.set(i, statistic);
  }
  return { kind: unknown ? 'unrecognised' : magnitude ? 'magnitude' : 'frequency', columns };
}
