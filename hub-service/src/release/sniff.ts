// What a file really is, by its content (magic bytes, NUL bytes, UTF-8, parse), never by its name.
import { isUtf8 } from 'node:buffer';

/** Formats recognised by their first bytes, in the words a finding uses. */
const signatures: { what: string; type: string; at?: number; bytes: number[] }[] = [
  { what: 'a PNG image', type: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { what: 'a JPEG image', type: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { what: 'a GIF image', type: 'gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { what: 'a PDF document', type: 'pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { what: 'a WebP image', type: 'webp', at: 8, bytes: [0x57, 0x45, 0x42, 0x50] },
  {
    what: 'a ZIP archive (or a file packed as one: xlsx, docx, npz)',
    type: 'zip',
    bytes: [0x50, 0x4b, 0x03, 0x04]
  },
  { what: 'a gzip-compressed file', type: 'gz', bytes: [0x1f, 0x8b] },
  { what: 'a bzip2-compressed file', type: 'bz2', bytes: [0x42, 0x5a, 0x68] },
  { what: 'an xz-compressed file', type: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { what: 'a Parquet file', type: 'parquet', bytes: [0x50, 0x41, 0x52, 0x31] },
  { what: 'an Arrow/Feather file', type: 'feather', bytes: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31] },
  { what: 'an HDF5 file', type: 'h5', bytes: [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a] },
  { what: 'a NumPy array file', type: 'npy', bytes: [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] },
  { what: 'an SQLite database', type: 'sqlite', bytes: [...Buffer.from('SQLite format 3\0')] },
  { what: 'a program (ELF)', type: 'elf', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { what: 'a 7-Zip archive', type: '7z', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] }
];

/** What the content is: a known binary format, other binary data, or UTF-8 text (with the text). */
export type Sniffed =
  { kind: 'binary'; type: string; what: string } | { kind: 'text'; text: string };

function startsWith(bytes: Uint8Array, signature: number[], at = 0): boolean {
  if (bytes.length < at + signature.length) {
    return false;
  }
  return signature.every((b, i) => bytes[at + i] === b);
}

/** Python's pickle: protocol 2 and later start with PROTO (0x80) and the protocol number. */
const isPickle = (bytes: Uint8Array) => bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5;

export function sniff(bytes: Uint8Array): Sniffed {
  for (const s of signatures) {
    if (startsWith(bytes, s.bytes, s.at)) {
      if (s.type !== 'webp' || startsWith(bytes, [0x52, 0x49, 0x46, 0x46])) {
        return { kind: 'binary', type: s.type, what: s.what };
      }
    }
  }
  if (isPickle(bytes)) {
    return { kind: 'binary', type: 'pickle', what: 'a Python pickle' };
  }
  if (bytes.includes(0)) {
    return { kind: 'binary', type: 'binary', what: 'binary data (it holds NUL bytes)' };
  }
  // isUtf8 is native (simdutf): validating costs less than decoding.
  if (!isUtf8(bytes)) {
    return { kind: 'binary', type: 'binary', what: 'binary data (it is not UTF-8 text)' };
  }
  return {
    kind: 'text',
    text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')
  };
}

/** The sniffed type each extension must have; text types are then parsed by their deriver. */
const expected: Record<string, string> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  gif: 'gif',
  pdf: 'pdf',
  webp: 'webp'
};

/**
 * A sentence saying what a file really is when its content does not match its extension, else
 * undefined. Text types (csv, json, txt, md, html, svg, log, ipynb) must be UTF-8 text without NUL bytes.
 */
export function contentMismatch(
  path: string,
  type: string,
  sniffed: Sniffed,
  declared: (t: string) => string
): string | undefined {
  const want = expected[type];
  if (want) {
    if (sniffed.kind === 'binary' && sniffed.type === want) {
      return undefined;
    }
    const is = sniffed.kind === 'text' ? 'text' : sniffed.what;
    return `"${path}" is ${is}, not ${declared(type)}: its content does not match its name. Save it with the extension of what it is, or write ${declared(type)} instead.`;
  }
  if (sniffed.kind === 'binary') {
    return `"${path}" is ${sniffed.what}, not ${declared(type)}: only text can be released under that name. Save the result as text (for a table, DataFrame.to_csv) or under the extension of what it is.`;
  }
  return undefined;
}
