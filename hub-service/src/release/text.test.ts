import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveFile } from './index.js';
import { UnparsableContent, deriveCsv, deriveJson } from './text.js';

test('a CSV is written again from its records: quoting only where needed, one line end', () => {
  assert.equal(
    deriveCsv('a,"b"\r\n"x, y","say ""hi"""\r\n\r\n"1",2', 'f.csv'),
    'a,b\n"x, y","say ""hi"""\n1,2\n'
  );
  assert.equal(deriveCsv('a,b\r\n1,2', 'f.csv'), 'a,b\n1,2\n');
  assert.equal(deriveCsv('a,b\n1,2\n', 'f.csv'), 'a,b\n1,2\n');
});

test('hidden characters leave no CSV field, and are counted with their lines', () => {
  const form = deriveFile(
    't.csv',
    Buffer.from('group,count\na\u200b\u200c,12\nb,3\u2060\u00a00\n')
  );
  assert.equal(form.text, 'group,count\na,12\nb,3 0\n');
  assert.deepEqual(form.hidden.lines, [2, 3]);
  assert.equal(form.hidden.count, 4);
});

test('a quoted field that never ends is not a CSV', () => {
  assert.throws(() => deriveCsv('a,b\n"x,1\n', 'f.csv'), UnparsableContent);
  assert.match(
    deriveFile('f.csv', Buffer.from('a,b\n"x,1\n')).problem!,
    /a quoted field never ends/
  );
});

test('JSON is written again from its parse, hidden characters gone from keys and values', () => {
  assert.equal(
    deriveJson('{"a\u200b":[1,"x\\u200by"]}', 'r.json'),
    '{\n  "a": [\n    1,\n    "xy"\n  ]\n}\n'
  );
  assert.match(
    deriveFile('r.json', Buffer.from('{"mean": NaN}')).problem!,
    /"r\.json" is not valid JSON/
  );
});

test('plain text keeps its characters but no hidden ones', () => {
  const form = deriveFile('summary.txt', Buffer.from(`mean 72${'\u200b\u200c'.repeat(50)}\n`));
  assert.equal(form.text, 'mean 72\n');
  assert.equal(form.hidden.count, 100);
  assert.deepEqual(form.hidden.kinds, { format: 100 });
});
