// Row-level data: an output that lists values of the staged data as they were recorded (a run of k consecutive
// values of one patient's series or of a staged column, in any column or line or list), or a table with more
// rows of staged values than the study has patients that is no recognised aggregate. Either fails.
import type { Finding } from '../schema/index.js';
import {
  locate,
  type IArtifactContent,
  type ICandidate,
  type IChecker,
  type IDisclosureIndex,
  type IVetContext
} from './index.js';
import { stagedSeries, tokenNumber, type StagedSeries } from './series.js';
import { tableShape } from './table-shape.js';
import { cellNumber } from './tables.js';
import { TextPosition } from './text-position.js';

/** What the check found in one artifact; shared with the table check so the two never disagree. */
export interface IRowLevel {
  /** Runs of k staged values in recorded order, and the text offset of the first. */
  runs: number;
  firstRun?: number;
  /** Bracketed lists ([…], array([…])) of more staged values than the study has patients. */
  lists: number;
  firstList?: number;
  /** Tables with more rows of staged values than patients and no aggregate shape: their data rows. */
  longTables: number[];
}

export const rowLevelFound = (r: IRowLevel) => r.runs + r.lists + r.longTables.length > 0;

/** A ring of the last k value ids (-1: not a staged value) that says when it holds a staged run. */
class Run {
  private ring: Int32Array;
  private pos = -1;
  private filled = 0;

  constructor(private series: StagedSeries) {
    this.ring = new Int32Array(series.k);
  }

  push(id: number): boolean {
    const k = this.series.k;
    this.pos = (this.pos + 1) % k;
    this.ring[this.pos] = id;
    this.filled = id < 0 ? 0 : Math.min(this.filled + 1, k);
    return this.filled === k && this.series.matches(this.ring, this.pos);
  }
}

const delimiter = new Uint8Array(128);
for (const ch of ' \t\r\n,;()[]{}|"\'<>=') {
  delimiter[ch.charCodeAt(0)] = 1;
}

/**
 * The number text[start, end) spells, or undefined. Whole numbers (and 64.0) are read from the character
 * codes without a copy, since most tokens of a large table are; anything else goes through tokenNumber.
 */
function numberAt(text: string, start: number, end: number): number | undefined {
  let i = start;
  let c = text.charCodeAt(i);
  const negative = c === 45;
  if (negative || c === 43) {
    i++;
  }
  let value = 0;
  const digitsFrom = i;
  for (; i < end && (c = text.charCodeAt(i)) >= 48 && c <= 57; i++) {
    value = value * 10 + (c - 48);
  }
  if (i === digitsFrom) {
    return i < end && c === 46 ? tokenNumber(text.slice(start, end)) : undefined; // .5
  }
  if (i < end && c !== 46 && c !== 69 && c !== 101) {
    return undefined; // 2026-01-01, p001's digits, 12abc: no number
  }
  if (i - digitsFrom > 15) {
    return tokenNumber(text.slice(start, end));
  }
  if (i < end && c === 46) {
    for (i++; i < end && text.charCodeAt(i) === 48; i++) {
      // 64.0 and 64.00 are 64
    }
  }
  if (i === end) {
    return negative ? -value : value;
  }
  return tokenNumber(text.slice(start, end));
}

/**
 * One pass over the text's tokens: numbers in reading order (a line, a list, one value per line), and
 * numbers in the same position of consecutive lines with as many numbers (a printed or CSV column).
 */
export function scanText(text: string, series: StagedSeries): Omit<IRowLevel, 'longTables'> {
  const found: Omit<IRowLevel, 'longTables'> = { runs: 0, lists: 0 };
  const reading = new Run(series);
  let columns: Run[] = [];
  // The current line's value ids (-1: a number that is not staged), reused from line to line.
  let line = new Int32Array(64);
  let width = 0;
  let depth = 0;
  let list = { count: 0, clean: true, at: 0 };
  let tokenStart = -1;
  const hit = (at: number) => {
    found.runs++;
    found.firstRun ??= at;
  };
  const endLine = (at: number) => {
    if (width >= 2) {
      if (width !== columns.length) {
        columns = Array.from({ length: width }, () => new Run(series));
      }
      for (let j = 0; j < width; j++) {
        if (columns[j].push(line[j])) {
          hit(at);
        }
      }
    } else if (columns.length > 0) {
      columns = [];
    }
    width = 0;
  };
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 10;
    const isDelimiter = code < 128 && delimiter[code] === 1;
    if (!isDelimiter) {
      if (tokenStart < 0) {
        tokenStart = i;
      }
      continue;
    }
    if (tokenStart >= 0) {
      const value = numberAt(text, tokenStart, i);
      if (value === undefined) {
        list.clean = false;
      } else {
        const id = series.idOf(value);
        if (width === line.length) {
          const longer = new Int32Array(width * 2);
          longer.set(line);
          line = longer;
        }
        line[width++] = id;
        if (reading.push(id)) {
          hit(tokenStart);
        }
        if (id < 0) {
          list.clean = false;
        } else {
          list.count++;
        }
      }
      tokenStart = -1;
    }
    if (code === 10) {
      endLine(i);
    } else if (code === 91) {
      if (depth++ === 0) {
        list = { count: 0, clean: true, at: i };
      }
    } else if (code === 93 && depth > 0 && --depth === 0) {
      if (list.clean && list.count > Math.max(series.patients, series.k)) {
        found.lists++;
        found.firstList ??= list.at;
      }
    }
  }
  return found;
}

export class RowLevelChecker implements IChecker {
  readonly name = 'row-level-data';
  private found = new WeakMap<IArtifactContent, Promise<IRowLevel>>();

  /** `k`: how many consecutive staged values make a run. */
  constructor(private k = 5) {}

  series(index: IDisclosureIndex): StagedSeries {
    return stagedSeries(index, this.k);
  }

  /** What this artifact lists of the staged data, computed once per artifact. */
  detect(index: IDisclosureIndex, content: IArtifactContent): Promise<IRowLevel> {
    let found = this.found.get(content);
    if (!found) {
      found = this.scan(index, content);
      this.found.set(content, found);
    }
    return found;
  }

  private async scan(index: IDisclosureIndex, content: IArtifactContent): Promise<IRowLevel> {
    const series = this.series(index);
    const text = await content.text();
    if (text === undefined || series.valueIds.size === 0) {
      return { runs: 0, lists: 0, longTables: [] };
    }
    const longTables: number[] = [];
    for (const table of await content.tables()) {
      const staged = table.rows.filter(row =>
        row.some(cell => {
          const n = cellNumber(cell);
          return n !== undefined && series.valueIds.has(n);
        })
      ).length;
      if (staged > series.patients && tableShape(table, series.variables).kind === 'unrecognised') {
        longTables.push(table.rowCount);
      }
    }
    return { ...scanText(text, series), longTables };
  }

  async check(c: ICandidate, { index, content }: IVetContext): Promise<Finding[]> {
    const found = await this.detect(index, content);
    const { k, patients } = this.series(index);
    if (!rowLevelFound(found)) {
      return [
        {
          check: this.name,
          verdict: 'pass',
          reason: `No run of ${k} staged values in recorded order, no list or table of more staged values than the study's ${patients} patients.`,
          location: locate(c)
        }
      ];
    }
    const text = (await content.text()) ?? '';
    const position = TextPosition.of(c, text);
    const mitigations: Finding['mitigations'] = [
      {
        action: 'aggregate',
        detail:
          'Publish counts or statistics over groups (value_counts(), groupby().agg(["count", ...]), pd.crosstab), not the values themselves.'
      }
    ];
    const findings: Finding[] = [];
    if (found.runs > 0) {
      findings.push({
        check: this.name,
        verdict: 'fail',
        reason: `${found.runs} run(s) of ${k} consecutive values of the staged data appear in the order they were recorded (one patient's series, or a staged column): this is row-level data.`,
        location: locate(c, position.locate(found.firstRun!)),
        mitigations
      });
    }
    if (found.lists > 0) {
      findings.push({
        check: this.name,
        verdict: 'fail',
        reason: `${found.lists} list(s) of more values of the staged data than the study has patients (${patients}): this is row-level data.`,
        location: locate(c, position.locate(found.firstList!)),
        mitigations
      });
    }
    for (const rows of found.longTables) {
      findings.push({
        check: this.name,
        verdict: 'fail',
        reason: `A table of ${rows} rows lists values of the staged data in more rows than the study has patients (${patients}) and is not a recognised aggregate (a column named count, or a cross-tabulation): this looks like row-level data.`,
        location: locate(c),
        mitigations
      });
    }
    return findings;
  }
}
