// Turns any thrown error into an ApiError body: a code and a sentence, never a stack trace.
import type { NextFunction, Request, Response } from 'express';
import { ignoreFileName } from '../bundle/rules.js';
import { HBrokerError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ApiError } from '../schema/index.js';

export function sendError(
  response: Response,
  status: number,
  code: string,
  message: string,
  details?: string[]
): void {
  const body: ApiError = {
    error: { code, message, ...(details && details.length ? { details } : {}) }
  };
  response.status(status).json(body);
}

/** The code of an error that refuses the caller's request (a 4xx), or undefined for the service's own. */
export function refusalCode(error: unknown): string | undefined {
  if (error instanceof HBrokerError) {
    return error.status < 500 ? error.code : undefined;
  }
  const e = error as { type?: string };
  if (e.type === 'entity.too.large') {
    return 'bundle_too_large';
  }
  if (e.type === 'entity.parse.failed') {
    return 'invalid_json';
  }
  return undefined;
}

/** Whether the client went away mid-request: its own doing, not the service's error. */
function clientAborted(error: unknown, request: Request): boolean {
  const e = error as { type?: string; code?: string };
  return (
    e.type === 'request.aborted' ||
    (request.destroyed && (e.code === 'ECONNRESET' || e.code === 'ERR_STREAM_PREMATURE_CLOSE'))
  );
}

export function errorHandler(log: Logger) {
  return (error: unknown, request: Request, response: Response, _next: NextFunction): void => {
    if (!(error instanceof HBrokerError) && clientAborted(error, request)) {
      // One line, no stack: a slow or vanished client is routine, not a fault of the service.
      log.info({ method: request.method, path: request.path }, 'request aborted by the client');
      if (!response.headersSent && !response.destroyed) {
        response.destroy();
      }
      return;
    }
    if (error instanceof HBrokerError) {
      sendError(response, error.status, error.code, error.message, error.details);
      return;
    }
    const e = error as { type?: string; status?: number; limit?: number; message?: string };
    if (e.type === 'entity.too.large') {
      sendError(
        response,
        413,
        'bundle_too_large',
        `The request is larger than this service accepts (${Math.round((e.limit ?? 0) / 1048576)} MB). Add large files to ${ignoreFileName}.`
      );
      return;
    }
    if (e.type === 'entity.parse.failed') {
      sendError(
        response,
        400,
        'invalid_json',
        `The request body is not valid JSON (${e.message}). Send a JSON object.`
      );
      return;
    }
    log.error({ err: error }, 'unhandled error');
    sendError(
      response,
      500,
      'internal',
      'Something went wrong inside HBroker. An admin can find the details in the service log.'
    );
  };
}
