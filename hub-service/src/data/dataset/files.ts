// Buffered line writing and reading for large NDJSON and CSV files, synchronously and in chunks.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const chunkBytes = 1 << 20;

export class LineWriter {
  private fd: number;
  private pending: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'wx', 0o600);
  }

  line(text: string): void {
    this.pending.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= chunkBytes) {
      this.flush();
    }
  }

  private flush(): void {
    if (this.pending.length > 0) {
      this.bytes += writeSync(this.fd, this.pending.join(''));
      this.pending = [];
      this.size = 0;
    }
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Every line of a UTF-8 file, without its newline, reading a chunk at a time. */
export function* readLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(chunkBytes);
    let rest = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) {
        break;
      }
      let data = Buffer.concat([rest, buffer.subarray(0, n)]);
      let start = 0;
      for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, start)) {
        yield data.toString('utf8', start, i);
        start = i + 1;
      }
      rest = Buffer.from(data.subarray(start));
      data = rest;
    }
    if (rest.length > 0) {
      yield rest.toString('utf8');
    }
  } finally {
    closeSync(fd);
  }
}
