import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeRelativePath, shownPath } from './paths.js';

const refusal = (raw: string) => {
  const checked = safeRelativePath(raw);
  return 'refused' in checked ? checked.refused : undefined;
};

describe('safeRelativePath (one rule for bundle entries, requested outputs and released names)', () => {
  it('accepts ordinary names in any script and normalises them', () => {
    assert.deepEqual(safeRelativePath('./données/résumé 2026.csv'), {
      path: 'données/résumé 2026.csv'
    });
    assert.deepEqual(safeRelativePath('図/グラフ.png'), { path: '図/グラフ.png' });
    assert.deepEqual(safeRelativePath('out/'), { path: 'out' });
  });

  it('refuses each trick with a sentence', () => {
    assert.match(refusal('/etc/passwd')!, /is absolute/);
    assert.match(refusal('a/../../b')!, /climbs out/);
    assert.match(refusal('a\\b')!, /backslash/);
    assert.match(refusal('a\0b')!, /NUL/);
    assert.match(refusal('a\u202Egnp.exe')!, /cannot see \(a⟦U\+202E⟧gnp\.exe\)/);
    assert.match(refusal('sum\u200Bmary.csv')!, /cannot see/);
    assert.match(refusal('x\u{E0041}.csv')!, /cannot see/);
    assert.match(refusal('a\u00A0b.csv')!, /cannot see/);
    assert.match(refusal('x'.repeat(1025))!, /1025 characters long; paths may have at most 1024/);
    assert.match(refusal('d/'.repeat(33) + 'x')!, /34 folders deep/);
    assert.match(refusal('é'.repeat(128))!, /name of 256 bytes/);
    assert.equal(refusal('é'.repeat(127)), undefined);
    assert.match(refusal('')!, /is empty/);
  });

  it('quotes a path cut short with its hidden characters shown', () => {
    assert.equal(shownPath('a\u202Eb'), 'a⟦U+202E⟧b');
    assert.equal(shownPath('x'.repeat(500)).length, 121);
  });
});
