// Multi-pattern search (Aho–Corasick): every staged identifier in one pass over a text, ASCII case-insensitive.
// Written here rather than taken from npm because the lead alone installs packages in this phase;
// a maintained library (e.g. `modern-ahocorasick`) could replace it behind the same two methods.

const fold = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);

export class PatternSearch {
  /** Root transitions, dense, because most characters of a text leave the search at the root. */
  private root = new Int32Array(65536);
  /** Other transitions on Latin-1 characters, keyed state * 256 + character (small integer keys are fast). */
  private next = new Map<number, number>();
  /** Other transitions on other characters, keyed state * 65536 + character. */
  private wide = new Map<number, number>();
  private fail: number[] = [0];
  /** The pattern that ends exactly at a state, or -1. */
  private ends: number[] = [-1];
  /** The nearest state along the fail chain where some pattern ends, or 0. */
  private dict: number[] = [0];
  private depth: number[] = [0];
  readonly patterns: string[];

  constructor(patterns: Iterable<string>) {
    this.patterns = [...new Set([...patterns].filter(p => p.length > 0))];
    this.patterns.forEach((p, index) => this.add(p, index));
    this.link();
  }

  private edge(state: number, code: number): number {
    if (state === 0) {
      return this.root[code];
    }
    return (
      (code < 256 ? this.next.get(state * 256 + code) : this.wide.get(state * 65536 + code)) ?? 0
    );
  }

  private setEdge(state: number, code: number, to: number): void {
    if (state === 0) {
      this.root[code] = to;
    } else if (code < 256) {
      this.next.set(state * 256 + code, to);
    } else {
      this.wide.set(state * 65536 + code, to);
    }
  }

  private add(pattern: string, index: number): void {
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const code = fold(pattern.charCodeAt(i));
      let to = this.edge(state, code);
      if (to === 0) {
        to = this.fail.length;
        this.fail.push(0);
        this.ends.push(-1);
        this.dict.push(0);
        this.depth.push(this.depth[state] + 1);
        this.setEdge(state, code, to);
      }
      state = to;
    }
    this.ends[state] = index;
  }

  /** Breadth-first fail links, so each state's links point at shallower, finished states. */
  private link(): void {
    const children = new Map<number, [number, number][]>();
    const addChild = (from: number, code: number, to: number) => {
      const list = children.get(from);
      if (list) {
        list.push([code, to]);
      } else {
        children.set(from, [[code, to]]);
      }
    };
    this.root.forEach((to, code) => to !== 0 && addChild(0, code, to));
    for (const [key, to] of this.next) {
      addChild(Math.floor(key / 256), key % 256, to);
    }
    for (const [key, to] of this.wide) {
      addChild(Math.floor(key / 65536), key % 65536, to);
    }
    const queue: number[] = (children.get(0) ?? []).map(([, to]) => to);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      for (const [code, to] of children.get(state) ?? []) {
        let f = this.fail[state];
        while (f !== 0 && this.edge(f, code) === 0) {
          f = this.fail[f];
        }
        const target = this.edge(f, code);
        this.fail[to] = target === to ? 0 : target;
        this.dict[to] = this.ends[this.fail[to]] >= 0 ? this.fail[to] : this.dict[this.fail[to]];
        queue.push(to);
      }
    }
  }

  /** Calls found(pattern index, start, end) for every occurrence; end is exclusive. Stops when it returns false. */
  search(
    text: string,
    found: (pattern: number, start: number, end: number) => boolean | void
  ): void {
    if (this.patterns.length === 0) {
      return;
    }
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = fold(text.charCodeAt(i));
      let to = this.edge(state, code);
      while (to === 0 && state !== 0) {
        state = this.fail[state];
        to = this.edge(state, code);
      }
      state = to;
      for (let s = this.ends[state] >= 0 ? state : this.dict[state]; s !== 0; s = this.dict[s]) {
        if (found(this.ends[s], i + 1 - this.depth[s], i + 1) === false) {
          return;
        }
      }
    }
  }
}
