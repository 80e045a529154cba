// A POSIX (ustar) tar writer for the browser, and base64 for its upload. tar-stream needs Node
// streams and Buffer polyfills in webpack; writing regular files only takes these few lines.

export interface ITarFile {
  path: string;
  content: Uint8Array;
  /** 0o644 unless given. */
  mode?: number;
}

const encoder = new TextEncoder();

function field(block: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = encoder.encode(text);
  if (bytes.length > length) {
    throw new Error(`"${text}" does not fit a tar header field of ${length} bytes`);
  }
  block.set(bytes, offset);
}

const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');

/** Splits a long path into ustar's prefix (≤155 bytes) and name (≤100 bytes) at a slash. */
function splitPath(path: string): [prefix: string, name: string] {
  if (encoder.encode(path).length <= 100) {
    return ['', path];
  }
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100) {
      return [prefix, name];
    }
  }
  throw new Error(`The path "${path}" is too long for a tar archive; shorten it or ignore it.`);
}

function header(file: ITarFile): Uint8Array {
  const block = new Uint8Array(512);
  const [prefix, name] = splitPath(file.path);
  field(block, 0, 100, name);
  field(block, 100, 8, octal(file.mode ?? 0o644, 8));
  field(block, 108, 8, octal(0, 8));
  field(block, 116, 8, octal(0, 8));
  field(block, 124, 12, octal(file.content.length, 12));
  field(block, 136, 12, octal(0, 12));
  block.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  block[156] = 0x30; // '0': a regular file
  field(block, 257, 6, 'ustar');
  field(block, 263, 2, '00');
  field(block, 345, 155, prefix);
  const sum = block.reduce((a, b) => a + b, 0);
  field(block, 148, 8, `${octal(sum, 7)}\0`);
  return block;
}

/** An uncompressed tar of regular files, as the service unpacks it. */
export function packTar(files: ITarFile[]): Uint8Array {
  const size = files.reduce((n, f) => n + 512 + Math.ceil(f.content.length / 512) * 512, 1024);
  const out = new Uint8Array(size);
  let at = 0;
  for (const file of files) {
    out.set(header(file), at);
    at += 512;
    out.set(file.content, at);
    at += Math.ceil(file.content.length / 512) * 512;
  }
  return out; // ends in two zero blocks
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text.replace(/\s/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}
