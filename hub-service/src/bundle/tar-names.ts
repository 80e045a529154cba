// Watches a tar's raw headers for NUL inside names, which tar-stream silently cuts ("a\0b" reads as "a").
import { Transform, type TransformCallback } from 'node:stream';

const block = 512;
/** GNU long names and link names: the next entry's name is this entry's data. */
const longNameTypes = new Set(['L', 'K']);
const maxLongName = 64 * 1024;

/** Whether a NUL-terminated field holds anything after its first NUL (a name cut short). */
function cutShort(field: Buffer): boolean {
  const nul = field.indexOf(0);
  return nul !== -1 && field.subarray(nul).some(b => b !== 0);
}

function entrySize(header: Buffer): number {
  if (header[124] & 0x80) {
    return Number.POSITIVE_INFINITY; // base-256: over 8 GiB, far over any bundle limit
  }
  const text = header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim();
  return text ? parseInt(text, 8) : 0;
}

export class TarNameError extends Error {}

/**
 * Passes a tar stream through unchanged and fails it with a TarNameError when an entry's name,
 * prefix, link name or GNU long name holds a NUL before its end.
 */
export class TarNameGuard extends Transform {
  private header = Buffer.alloc(0);
  /** Bytes of the current entry's data (with padding) still to pass. */
  private skip = 0;
  /** The GNU long name being read, if the current entry is one. */
  private longName: Buffer[] | undefined;
  private longNameLeft = 0;

  _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.scan(chunk);
    } catch (e) {
      done(e as Error);
      return;
    }
    done(null, chunk);
  }

  private scan(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        if (this.longName && this.longNameLeft > 0) {
          const take = Math.min(n, this.longNameLeft);
          this.longName.push(chunk.subarray(at, at + take));
          this.longNameLeft -= take;
          if (this.longNameLeft === 0) {
            const name = Buffer.concat(this.longName);
            this.longName = undefined;
            if (cutShort(name)) {
              throw new TarNameError('a long name holds a NUL character');
            }
          }
        }
        this.skip -= n;
        at += n;
        continue;
      }
      const n = Math.min(block - this.header.length, chunk.length - at);
      this.header = Buffer.concat([this.header, chunk.subarray(at, at + n)]);
      at += n;
      if (this.header.length === block) {
        this.readHeader(this.header);
        this.header = Buffer.alloc(0);
      }
    }
  }

  private readHeader(header: Buffer): void {
    if (header.every(b => b === 0)) {
      return; // end-of-archive blocks
    }
    const fields: [string, number, number][] = [
      ['name', 0, 100],
      ['link name', 157, 257]
    ];
    if (header.subarray(257, 262).toString('latin1') === 'ustar') {
      fields.push(['name prefix', 345, 500]);
    }
    for (const [what, from, to] of fields) {
      if (cutShort(header.subarray(from, to))) {
        throw new TarNameError(`an entry's ${what} holds a NUL character`);
      }
    }
    const size = entrySize(header);
    if (!Number.isFinite(size)) {
      throw new TarNameError('an entry is larger than 8 GiB');
    }
    this.skip = Math.ceil(size / block) * block;
    if (longNameTypes.has(String.fromCharCode(header[156]))) {
      if (size > maxLongName) {
        throw new TarNameError('a long name is over 64 KiB');
      }
      if (size > 0) {
        this.longName = [];
        this.longNameLeft = size;
      }
    }
  }
}
