import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveFile } from './index.js';
import { sniff } from './sniff.js';

/** The first bytes Python's pickle.dumps writes (protocol 4, a list). */
const pickle = Buffer.from([
  0x80, 0x04, 0x95, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x5d, 0x94, 0x28, 0x4b, 0x40
]);

test('a pickle is a pickle whatever its name', () => {
  assert.deepEqual(sniff(pickle), { kind: 'binary', type: 'pickle', what: 'a Python pickle' });
  const form = deriveFile('out/result.csv', pickle);
  assert.match(form.problem!, /"out\/result\.csv" is a Python pickle, not a CSV file/);
  assert.match(form.problem!, /to_csv/);
});

test('magic bytes, NUL bytes and invalid UTF-8 are told apart from text', () => {
  assert.equal(
    (sniff(Buffer.from('\x89PNG\r\n\x1a\n....', 'latin1')) as { type: string }).type,
    'png'
  );
  assert.equal((sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0])) as { type: string }).type, 'jpeg');
  assert.equal((sniff(Buffer.from('PK\x03\x04rest')) as { type: string }).type, 'zip');
  assert.match((sniff(Buffer.from('a,b\n1,\0')) as { what: string }).what, /NUL/);
  assert.match((sniff(Buffer.from([0x61, 0xc3, 0x28])) as { what: string }).what, /not UTF-8/);
  assert.deepEqual(sniff(Buffer.from('a,b\n1,2\n')), { kind: 'text', text: 'a,b\n1,2\n' });
});

test('text saved as an image, and an image saved as text, say what they really are', () => {
  assert.match(
    deriveFile('plot.png', Buffer.from('1,2,3\n')).problem!,
    /"plot\.png" is text, not a PNG image/
  );
  assert.match(
    deriveFile('notes.txt', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0])).problem!,
    /"notes\.txt" is a JPEG image, not a text file/
  );
});

test('a clean text file is written back as it was', () => {
  const stored = Buffer.from('group,count\na,12\nb,30\n');
  const form = deriveFile('counts.csv', stored);
  assert.equal(form.problem, undefined);
  assert.equal(form.unchanged, true);
  assert.equal(form.bytes, stored);
});

test('a type release cannot re-derive is marked opaque', () => {
  const form = deriveFile('report.pdf', Buffer.from('%PDF-1.7\n'));
  assert.equal(form.opaque, true);
  assert.equal(form.problem, undefined);
});
