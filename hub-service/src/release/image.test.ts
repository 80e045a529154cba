import assert from 'node:assert/strict';
import { test } from 'node:test';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { deriveFile } from './index.js';
import { pngChunk as chunk, pngChunks } from './png-chunks.js';

function picture(): PNG {
  const png = new PNG({ width: 3, height: 2 });
  png.data.forEach((_, i) => (png.data[i] = (i * 37) % 256));
  return png;
}

test('a PNG is decoded and encoded again: same pixels, no text chunk, nothing after its end', () => {
  const clean = PNG.sync.write(picture());
  const rows = Buffer.from(
    'Comment\0p001,2026-01-01T08:00:00Z,64\np002,2026-01-01T09:00:00Z,71',
    'latin1'
  );
  // tEXt before the image data, and bytes appended after IEND.
  const tainted = Buffer.concat([
    clean.subarray(0, 33),
    chunk('tEXt', rows),
    chunk('eXIf', Buffer.from('exif')),
    clean.subarray(33),
    Buffer.from('trailing p003')
  ]);
  assert.ok(pngChunks(tainted).types.includes('tEXt'));
  const form = deriveFile('plot.png', tainted);
  assert.equal(form.problem, undefined);
  assert.deepEqual(pngChunks(form.bytes).types, ['IHDR', 'IDAT', 'IEND']);
  assert.equal(pngChunks(form.bytes).trailing, 0);
  assert.deepEqual(form.dropped, ['its ancillary chunks (tEXt, eXIf) and 13 bytes after its end']);
  assert.doesNotMatch(form.bytes.toString('latin1'), /p00\d|trailing/);
  assert.deepEqual(PNG.sync.read(form.bytes).data, picture().data);
  assert.match(form.reencoded[0], /without text, EXIF/);
});

test('an image too large to decode safely is refused with its size', () => {
  const header = PNG.sync.write(picture());
  header.writeUInt32BE(100000, 16);
  header.writeUInt32BE(100000, 20);
  assert.match(
    deriveFile('big.png', header).problem!,
    /100000×100000 image, over the 40 megapixel limit/
  );
});

test('a JPEG loses its comment and EXIF segments', () => {
  const raw = { width: 4, height: 4, data: Buffer.alloc(64, 128) };
  const clean = Buffer.from(jpeg.encode(raw, 90).data);
  const comment = Buffer.concat([
    Buffer.from([0xff, 0xfe, 0x00, 0x10]),
    Buffer.from('p001,64,71,80\0')
  ]);
  const tainted = Buffer.concat([clean.subarray(0, 2), comment, clean.subarray(2)]);
  const form = deriveFile('photo.jpg', tainted);
  assert.equal(form.problem, undefined);
  assert.doesNotMatch(form.bytes.toString('latin1'), /p001/);
  assert.equal(jpeg.decode(form.bytes).width, 4);
});
