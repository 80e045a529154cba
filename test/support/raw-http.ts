// Hand-made HTTP over a plain socket, for what fetch will not do: stall, abort, or push a body nobody reads.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

export interface IRawAnswer {
  /** The status line's code of the first answer (100 for "100 Continue"), 0 if none came. */
  status: number;
  /** Everything the service sent. */
  text: string;
  /** Body bytes this client managed to hand to the socket before the service closed it. */
  sent: number;
}

const filler = Buffer.alloc(64 * 1024, 'a');

/**
 * Sends `head` (request line and headers, without the blank line), then `prefix`, then filler up to
 * `total` body bytes, writing as fast as the socket takes it; resolves when the service closes the
 * connection. With `waitForAnswer`, sends no body and hangs up at the first answer.
 */
export function rawRequest(
  port: number,
  head: string,
  options: { prefix?: Buffer; total?: number; waitForAnswer?: boolean } = {}
): Promise<IRawAnswer> {
  const prefix = options.prefix ?? Buffer.alloc(0);
  const total = options.total ?? prefix.length;
  return new Promise(resolve => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let sent = 0;
    let closed = false;
    const done = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text, sent });
    };
    socket.on('data', d => {
      chunks.push(d);
      // Only the first answer is wanted (e.g. whether "100 Continue" came); then hang up.
      if (options.waitForAnswer) {
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      done();
    });
    socket.on('connect', async () => {
      socket.write(`${head}\r\n\r\n`);
      if (options.waitForAnswer) {
        return;
      }
      if (prefix.length) {
        socket.write(prefix);
        sent += prefix.length;
      }
      while (!closed && sent < total) {
        const piece = filler.subarray(0, Math.min(filler.length, total - sent));
        const more = socket.write(piece);
        sent += piece.length;
        if (!more) {
          await new Promise(r => {
            socket.once('drain', r);
            socket.once('close', r);
          });
        }
      }
    });
  });
}

/** A connection that sends `head` and `prefix`, then waits; `abort` cuts it. */
export function stalledRequest(
  port: number,
  head: string,
  prefix: Buffer
): Promise<{ abort(): void; answer: Promise<string> }> {
  return new Promise(resolve => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const answer = new Promise<string>(r =>
      socket.on('close', () => r(Buffer.concat(chunks).toString('latin1')))
    );
    socket.on('data', d => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      socket.write(`${head}\r\n\r\n`);
      socket.write(prefix, () => resolve({ abort: () => socket.destroy(), answer }));
    });
  });
}

/** A process's resident memory, in bytes (Linux). */
export function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** Samples a process's resident memory every few milliseconds until stopped; returns the peak. */
export function rssPeak(pid: number): { stop(): number } {
  let peak = rssOf(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssOf(pid));
    } catch {
      // the process ended
    }
  }, 5);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, rssOf(pid));
    }
  };
}

/** A multipart/form-data body's opening: the manifest part and the head of the bundle part. */
export function multipartHead(boundary: string, manifest: unknown): { head: Buffer; tail: Buffer } {
  return {
    head: Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="manifest"\r\n\r\n${JSON.stringify(manifest)}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="bundle"; filename="bundle.tar"\r\n` +
        'Content-Type: application/x-tar\r\n\r\n'
    ),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`)
  };
}
