import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  findHiddenCharacters,
  hasHiddenCharacters,
  hiddenCharacterKind,
  revealHiddenCharacters
} from './hidden-characters.js';

test('ordinary text, tabs and line breaks hide nothing', () => {
  const text = 'mean heart rate\t72.4\r\nnext line — ünïcode, 中文, emoji ❤️\n';
  assert.equal(hasHiddenCharacters(text), false);
  assert.deepEqual(findHiddenCharacters(text), { count: 0, lines: [], kinds: {} });
});

test('zero-width runs are counted with their lines', () => {
  const text = 'summary\nmean 72\u200b\u200c\u200b\nok\n\u2060end';
  const found = findHiddenCharacters(text);
  assert.equal(found.count, 4);
  assert.deepEqual(found.lines, [2, 4]);
  assert.deepEqual(found.kinds, { format: 4 });
});

test('each kind is named', () => {
  assert.equal(hiddenCharacterKind('\u202e'), 'bidi control');
  assert.equal(hiddenCharacterKind('\u0000'), 'control');
  assert.equal(hiddenCharacterKind('\u{e0041}'), 'tag');
  assert.equal(hiddenCharacterKind('\ufe00'), 'variation selector');
  assert.equal(hiddenCharacterKind('\ue000'), 'private use');
  assert.equal(hiddenCharacterKind('\ud800'), 'lone surrogate');
  assert.equal(hiddenCharacterKind('\u0378'), 'unassigned');
  assert.equal(hiddenCharacterKind('\u3164'), 'invisible filler');
  assert.equal(hiddenCharacterKind('\u00a0'), 'unusual space');
  assert.equal(hiddenCharacterKind('a'), undefined);
  assert.equal(hiddenCharacterKind('\ufe0f'), undefined);
});

test('revealing shows each hidden character as its code point', () => {
  assert.equal(revealHiddenCharacters('a\u202eb\u200b'), 'a⟦U+202E⟧b⟦U+200B⟧');
  assert.equal(hasHiddenCharacters('report\u202efdp.csv'), true);
});
