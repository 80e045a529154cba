import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatternSearch } from './aho-corasick.js';

const all = (search: PatternSearch, text: string) => {
  const found: string[] = [];
  search.search(text, (p, start, end) => {
    found.push(`${search.patterns[p]}@${start}-${end}`);
  });
  return found.sort();
};

describe('PatternSearch', () => {
  it('finds every occurrence of every pattern, overlapping ones too, ignoring ASCII case', () => {
    const s = new PatternSearch(['he', 'she', 'his', 'hers', 'P001']);
    assert.deepEqual(all(s, 'ushers and p001'), ['P001@11-15', 'he@2-4', 'hers@2-6', 'she@1-4']);
  });

  it('agrees with a naive search on random text', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const word = (n: number) =>
      Array.from({ length: n }, () => 'abc'[Math.floor(random() * 3)]).join('');
    const patterns = Array.from({ length: 40 }, () => word(1 + Math.floor(random() * 5)));
    const text = word(3000);
    const s = new PatternSearch(patterns);
    const naive: string[] = [];
    for (const p of s.patterns) {
      for (let i = text.indexOf(p); i !== -1; i = text.indexOf(p, i + 1)) {
        naive.push(`${p}@${i}-${i + p.length}`);
      }
    }
    assert.deepEqual(all(s, text), naive.sort());
  });

  it('with no patterns finds nothing', () => {
    assert.deepEqual(all(new PatternSearch([]), 'anything'), []);
  });
});
