// A PNG's chunks, to say what re-encoding drops (text, EXIF, ICC, unknown chunks, bytes after the end).
import { crc32 } from 'node:zlib';

/** The chunks every re-encoded PNG has; anything else is dropped on release. */
const critical = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND']);

/** The chunk types of a PNG, in order, where its IEND chunk ends, and how many bytes follow it. */
export function pngChunks(png: Buffer): { types: string[]; end: number; trailing: number } {
  const types: string[] = [];
  let at = 8;
  while (at + 8 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    types.push(type);
    at += 12 + length;
    if (type === 'IEND') {
      break;
    }
  }
  return { types, end: Math.min(at, png.length), trailing: Math.max(0, png.length - at) };
}

/** What re-encoding drops of this PNG, as a phrase, or undefined when it drops nothing. */
export function droppedPngChunks(png: Buffer): string | undefined {
  const { types, trailing } = pngChunks(png);
  const ancillary = [...new Set(types.filter(t => !critical.has(t)))];
  const parts = [
    ancillary.length > 0 && `its ancillary chunks (${ancillary.join(', ')})`,
    trailing > 0 && `${trailing} bytes after its end`
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

/** A PNG chunk (length, type, data, CRC): for tests that hide text in an image. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
