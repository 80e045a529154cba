// Request bodies are read only here, and only after the caller is authenticated and authorised.
import express, { type Request, type Response } from 'express';
import type { Socket } from 'node:net';
import { HBrokerError } from '../errors.js';
import { ignoreFileName } from '../bundle/rules.js';

/** The Content-Length the client declared, if any. */
export function declaredLength(request: Request): number | undefined {
  const raw = request.headers['content-length'];
  return raw === undefined || !/^\d+$/.test(raw) ? undefined : Number(raw);
}

/** Whether the request carries a body (declared length above zero, or chunked). */
export function hasBody(request: Request): boolean {
  return (declaredLength(request) ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
}

/**
 * For an answer sent before the body was read whole. An unauthenticated caller's body, or one longer
 * than `drainLimit` (or of unknown length), is never taken in: the connection closes after the answer.
 * An authenticated caller's declared body within the limit is read and discarded, so that clients that
 * read the answer only after sending (fetch, curl) get the sentence rather than a broken pipe.
 */
export function closeUnread(request: Request, response: Response, drainLimit = 0): void {
  if (!hasBody(request) || request.readableEnded || response.headersSent) {
    return;
  }
  const length = declaredLength(request);
  if (length !== undefined && length <= drainLimit) {
    request.unpipe();
    request.resume();
    return;
  }
  response.setHeader('Connection', 'close');
  lingerThenClose(request.socket);
}

/** How long a refused connection stays half-open, unread, before it is cut. */
const lingerMs = 1000;

/**
 * Node ends a "Connection: close" answer by destroying the socket as soon as the answer is written. With
 * the client's body still arriving, that sends a TCP reset, which can make the client lose the answer
 * itself. Instead the socket sends its end, stops reading, and is cut a second later (a lingering
 * close, as web servers do): the client reads the answer, and its body is never taken in.
 */
function lingerThenClose(socket: Socket): void {
  socket.destroySoon = function (this: Socket) {
    this.end();
    this.pause();
    setImmediate(() => this.pause());
    setTimeout(() => this.destroy(), lingerMs).unref();
  };
}

/** Refuses a declared length over `limit` before a byte is read. */
export function checkDeclaredLength(request: Request, limit: number): void {
  const length = declaredLength(request);
  if (length !== undefined && length > limit) {
    throw new HBrokerError(
      'body_too_large',
      `The request is larger than this service accepts here (${Math.round(limit / 1048576)} MB). Add large files to ${ignoreFileName}.`,
      413
    );
  }
}

/** Asks a client that sent "Expect: 100-continue" for its body, now that it is wanted. */
export function wantBody(request: Request, response: Response): void {
  if (/100-continue/i.test(request.headers.expect ?? '') && !response.headersSent) {
    response.writeContinue();
  }
}

const jsonParsers = new Map<number, express.RequestHandler>();

/** Reads a JSON body of at most `limit` bytes into request.body. */
export async function readJson(request: Request, response: Response, limit: number): Promise<void> {
  checkDeclaredLength(request, limit);
  wantBody(request, response);
  let parser = jsonParsers.get(limit);
  if (!parser) {
    parser = express.json({ limit });
    jsonParsers.set(limit, parser);
  }
  await new Promise<void>((resolve, reject) =>
    parser(request, response, e => (e ? reject(e) : resolve()))
  );
}
