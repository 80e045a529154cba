// Raw-record leakage: k or more staged (patient, time, value) records shown in one artifact, one per line or table row.
import type { Finding } from '../schema/index.js';
import {
  locate,
  type ICandidate,
  type IChecker,
  type IDisclosureIndex,
  type IVetContext
} from './index.js';
import { TextPosition } from './text-position.js';

/** A date, optionally with a clock time, as ISO writes it and as pandas prints it (space, no Z). */
const timePattern = /(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/g;
const numberPattern = /[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

/** One key per instant whatever the formatting: 2026-02-01T08:00:00Z and 2026-02-01 08:00:00+00:00 agree. */
function timeKey(m: RegExpExecArray): string {
  return m[2] === undefined ? m[1] : `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}`;
}

interface IStagedRecord {
  id: number;
  value: string;
  number?: number;
}

/** Numbers written differently (64, 64.0) are the same value. */
const asNumber = (s: string) =>
  /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s.trim()) ? Number(s) : undefined;

export class RecordChecker implements IChecker {
  readonly name = 'raw-records';
  private byTime = new WeakMap<IDisclosureIndex, Map<string, IStagedRecord[]>>();

  constructor(private k = 3) {}

  private recordsByTime(index: IDisclosureIndex): Map<string, IStagedRecord[]> {
    let map = this.byTime.get(index);
    if (!map) {
      map = new Map();
      index.records.forEach((r, id) => {
        timePattern.lastIndex = 0;
        const m = timePattern.exec(r.time);
        if (!m || r.value.trim() === '') {
          return; // without a recognisable time a record cannot be told apart from a statistic
        }
        const key = timeKey(m);
        const list = map!.get(key) ?? [];
        list.push({ id, value: r.value.trim(), number: asNumber(r.value) });
        map!.set(key, list);
      });
      this.byTime.set(index, map);
    }
    return map;
  }

  async check(c: ICandidate, { index, content }: IVetContext): Promise<Finding[]> {
    const text = await content.text();
    if (text === undefined) {
      return [];
    }
    const byTime = this.recordsByTime(index);
    const seen = new Set<number>();
    let first: { row: number; column?: string } | undefined;
    const position = TextPosition.of(c, text);
    if (byTime.size > 0) {
      const times = new RegExp(timePattern.source, 'g');
      for (let m = times.exec(text); m; m = times.exec(text)) {
        const staged = byTime.get(timeKey(m));
        if (!staged) {
          continue;
        }
        const start = text.lastIndexOf('\n', m.index) + 1;
        const stop = text.indexOf('\n', m.index);
        const line = text.slice(start, stop === -1 ? text.length : stop);
        const rest = line.replace(new RegExp(timePattern.source, 'g'), ' ');
        const numbers = new Set((rest.match(numberPattern) ?? []).map(Number));
        for (const r of staged) {
          if (r.number !== undefined ? numbers.has(r.number) : rest.includes(r.value)) {
            seen.add(r.id);
            first ??= position.locate(m.index);
          }
        }
      }
    }
    if (seen.size === 0) {
      return [
        {
          check: this.name,
          verdict: 'pass',
          reason: 'No staged (patient, time, value) record appears.',
          location: locate(c)
        }
      ];
    }
    const fail = seen.size >= this.k;
    return [
      {
        check: this.name,
        verdict: fail ? 'fail' : 'review',
        reason: fail
          ? `${seen.size} staged records appear as they are (the limit is ${this.k - 1}): this looks like row-level data.`
          : `${seen.size} staged record(s) may appear as they are; an output checker must decide whether it is a coincidence.`,
        location: locate(c, first),
        mitigations: [
          {
            action: 'aggregate',
            detail:
              'Show counts or statistics over groups instead of individual rows (no df.head(), no print(df)).'
          }
        ]
      }
    ];
  }
}
