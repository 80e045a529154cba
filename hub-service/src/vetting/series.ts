// The staged data as series of values (each staged column in file order, each patient's values in time order),
// indexed by every run of k consecutive values, so an output that lists such a run is found in one pass.
import type { IDisclosureIndex } from './index.js';

const numberPattern = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A token as a number when the whole token is one (64, 64.0, -1.5e3), else undefined. */
export function tokenNumber(token: string): number | undefined {
  return numberPattern.test(token) ? Number(token) : undefined;
}

/**
 * Two 26-bit multiplicative hashes of k value ids, combined into one safe integer; the ids are read from
 * `start` by `step`, modulo `wrap` (a ring) when given.
 */
function windowHash(ids: ArrayLike<number>, start: number, k: number, step = 1, wrap = 0): number {
  let a = 0;
  let b = 0;
  for (let i = 0; i < k; i++) {
    const id = ids[wrap ? (start + i) % wrap : start + i * step];
    a = (Math.imul(a, 0x01000193) + id + 1) >>> 0;
    b = (Math.imul(b ^ id, 0x5bd1e995) + 0x9e3779b9) >>> 0;
  }
  return (a & 0x3ffffff) * 0x4000000 + (b & 0x3ffffff);
}

/** Whole numbers below this are looked up in an array, not the map. */
const dense = 1 << 20;

export class StagedSeries {
  /** Each staged numeric value, as a number, to a small id. */
  readonly valueIds = new Map<number, number>();
  /** The same for whole numbers below `dense`, by index (-1: not staged): most tokens of a table are. */
  private denseIds = new Int32Array(0);
  /** Staged value column names, lower case (heart_rate): a table column named so holds values, not counts. */
  readonly variables = new Set<string>();
  readonly patients: number;
  /** Window hash to where the window starts in `runs`; negative: read backwards. Each distinct window once. */
  private windows = new Map<number, number>();
  /** Further windows whose hash collides with one already stored. */
  private collisions = new Map<number, number[]>();
  private runs: number[] = [];

  constructor(
    index: IDisclosureIndex,
    readonly k: number
  ) {
    const byColumn = new Map<string, number[]>();
    const byPatient = new Map<string, { time: number; at: number; id: number }[]>();
    const patients = new Set<string>();
    index.records.forEach((r, at) => {
      patients.add(r.patient);
      const value = tokenNumber(r.value.trim());
      if (value === undefined) {
        return;
      }
      let id = this.valueIds.get(value);
      if (id === undefined) {
        id = this.valueIds.size;
        this.valueIds.set(value, id);
      }
      const column = r.column ?? '';
      if (r.column) {
        this.variables.add(r.column.slice(r.column.lastIndexOf(':') + 1).toLowerCase());
      }
      const list = byColumn.get(column) ?? [];
      list.push(id);
      byColumn.set(column, list);
      const key = `${r.patient}\u0000${column}`;
      const series = byPatient.get(key) ?? [];
      series.push({ time: Date.parse(r.time), at, id });
      byPatient.set(key, series);
    });
    this.patients = index.patients ?? patients.size;
    let top = 0;
    for (const value of this.valueIds.keys()) {
      if (Number.isInteger(value) && value >= 0 && value < dense) {
        top = Math.max(top, value + 1);
      }
    }
    this.denseIds = new Int32Array(top).fill(-1);
    for (const [value, id] of this.valueIds) {
      if (Number.isInteger(value) && value >= 0 && value < top) {
        this.denseIds[value] = id;
      }
    }
    for (const list of byColumn.values()) {
      this.addSeries(list);
    }
    for (const series of byPatient.values()) {
      series.sort((x, y) => (x.time || 0) - (y.time || 0) || x.at - y.at);
      this.addSeries(series.map(s => s.id));
    }
  }

  /** Adds a series' windows both ways (time ascending and descending); windows of one repeated value say little. */
  private addSeries(ids: number[]): void {
    const k = this.k;
    if (ids.length < k) {
      return;
    }
    const start = this.runs.length;
    for (const id of ids) {
      this.runs.push(id);
    }
    for (let i = start; i + k <= this.runs.length; i++) {
      let distinct = false;
      for (let j = 1; j < k && !distinct; j++) {
        distinct = this.runs[i + j] !== this.runs[i];
      }
      if (!distinct) {
        continue;
      }
      this.addWindow(i);
      this.addWindow(-(i + k));
    }
  }

  /** The id at position i of the window `mark` (see windows). */
  private at(mark: number, i: number): number {
    return mark >= 0 ? this.runs[mark + i] : this.runs[-mark - 1 - i];
  }

  private sameWindow(a: number, b: number): boolean {
    for (let i = 0; i < this.k; i++) {
      if (this.at(a, i) !== this.at(b, i)) {
        return false;
      }
    }
    return true;
  }

  private addWindow(mark: number): void {
    const from = mark >= 0 ? mark : -mark - 1;
    const hash = windowHash(this.runs, from, this.k, mark >= 0 ? 1 : -1);
    const first = this.windows.get(hash);
    if (first === undefined) {
      this.windows.set(hash, mark);
      return;
    }
    const more = this.collisions.get(hash) ?? [];
    if (!this.sameWindow(first, mark) && !more.some(m => this.sameWindow(m, mark))) {
      more.push(mark);
      this.collisions.set(hash, more);
    }
  }

  /** The id of a value, or -1 when it is not a staged value. */
  idOf(value: number): number {
    if (value >= 0 && value < this.denseIds.length && Number.isInteger(value)) {
      return this.denseIds[value];
    }
    return this.valueIds.get(value) ?? -1;
  }

  get empty(): boolean {
    return this.windows.size === 0;
  }

  /** True when the k ids ending at `end` in the ring (oldest first from `ring[(end + 1) % k]`) are a staged run. */
  matches(ring: Int32Array, end: number): boolean {
    const k = this.k;
    const oldest = (end + 1) % k;
    const hash = windowHash(ring, oldest, k, 1, k);
    const first = this.windows.get(hash);
    if (first === undefined) {
      return false;
    }
    if (this.ringIs(first, ring, oldest)) {
      return true;
    }
    return this.collisions.get(hash)?.some(m => this.ringIs(m, ring, oldest)) ?? false;
  }

  private ringIs(mark: number, ring: Int32Array, oldest: number): boolean {
    const k = this.k;
    for (let i = 0; i < k; i++) {
      if (this.at(mark, i) !== ring[(oldest + i) % k]) {
        return false;
      }
    }
    return true;
  }
}

const cache = new WeakMap<IDisclosureIndex, Map<number, StagedSeries>>();

/** The series of an index for a given k, built once per index. */
export function stagedSeries(index: IDisclosureIndex, k: number): StagedSeries {
  let byK = cache.get(index);
  if (!byK) {
    byK = new Map();
    cache.set(index, byK);
  }
  let series = byK.get(k);
  if (!series) {
    series = new StagedSeries(index, k);
    byK.set(k, series);
  }
  return series;
}
