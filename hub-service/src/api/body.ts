// Request bodies are read only here, and only after the caller is authenticated and authorised.
import express, { type Request, type Response } from 'express';
import { HBrokerError } from '../errors.js';

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
 * For an answer sent without reading the body (401, 403, 413, 429, …): the connection closes after the
 * answer, so the unread body is never taken in beyond what the socket already buffered.
 */
export function closeUnread(request: Request, response: Response): void {
  if (hasBody(request) && !request.readableEnded && !response.headersSent) {
    response.setHeader('Connection', 'close');
  }
}

/** Refuses a declared length over `limit` before a byte is read. */
export function checkDeclaredLength(request: Request, limit: number): void {
  const length = declaredLength(request);
  if (length !== undefined && length > limit) {
    throw new HBrokerError(
      'body_too_large',
      `The request is larger than this service accepts here (${Math.round(limit / 1048576)} MB). Add large files to .hbrokerignore.`,
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
