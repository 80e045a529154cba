import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { packBundle } from './index.js';
import { TarNameGuard } from './tar-names.js';

/** A 512-byte tar header block with a valid checksum. */
function header(name: Buffer, type: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  name.copy(block, 0, 0, Math.min(100, name.length));
  block.write('0000644\0', 100, 'latin1');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write(type, 156, 'latin1');
  block.write('ustar\x0000', 257, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) {
    sum += b;
  }
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

const padded = (data: Buffer) =>
  Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);

/** Runs bytes through the guard in small pieces (names straddle chunks); resolves with what passed. */
async function guard(bytes: Buffer): Promise<Buffer> {
  const out: Buffer[] = [];
  const pieces = [];
  for (let i = 0; i < bytes.length; i += 77) {
    pieces.push(bytes.subarray(i, i + 77));
  }
  await pipeline(
    Readable.from(pieces),
    new TarNameGuard(),
    new Writable({
      write(chunk, _e, done) {
        out.push(chunk);
        done();
      }
    })
  );
  return Buffer.concat(out);
}

describe('TarNameGuard', () => {
  it('passes an ordinary tar through unchanged, whatever the chunking', async () => {
    const tarball = await packBundle([
      { path: 'a.ipynb', mode: 0o644, content: Buffer.from('{}') },
      { path: `${'long/'.repeat(30)}b.csv`, mode: 0o644, content: Buffer.alloc(3000, 1) }
    ]);
    assert.ok((await guard(tarball)).equals(tarball));
  });

  it('fails on a NUL inside a ustar name', async () => {
    const tarball = Buffer.concat([
      header(Buffer.from('good.csv\0evil'), '0', 0),
      Buffer.alloc(1024)
    ]);
    await assert.rejects(guard(tarball), /an entry's name holds a NUL character/);
  });

  it('fails on a NUL inside a GNU long name', async () => {
    const long = Buffer.from(`${'x'.repeat(150)}\0hidden\0`);
    const tarball = Buffer.concat([
      header(Buffer.from('././@LongLink'), 'L', long.length),
      padded(long),
      header(Buffer.from('x'), '0', 0),
      Buffer.alloc(1024)
    ]);
    await assert.rejects(guard(tarball), /a long name holds a NUL character/);
  });
});
