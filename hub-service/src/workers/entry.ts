// A worker thread's main: runs each task it is sent and replies with its result or its error.
import { parentPort } from 'node:worker_threads';
import { HBrokerError } from '../errors.js';
import type { IPackedFiles, ITaskError, ITaskReply, ITaskRequest } from './protocol.js';
import { tasks } from './tasks.js';

const asTaskError = (e: unknown): ITaskError =>
  e instanceof HBrokerError
    ? { message: e.message, code: e.code, status: e.status, details: e.details }
    : { message: e instanceof Error ? e.message : String(e), stack: (e as Error)?.stack };

/** A result's own buffer is moved to the service, not copied. */
const transferable = (result: unknown): ArrayBuffer[] =>
  result instanceof ArrayBuffer
    ? [result]
    : (result as IPackedFiles | undefined)?.contents instanceof ArrayBuffer
      ? [(result as IPackedFiles).contents]
      : [];

parentPort!.on('message', async (request: ITaskRequest) => {
  let reply: ITaskReply;
  try {
    const run = tasks[request.task] as (input: unknown) => unknown;
    reply = { id: request.id, result: await run(request.input) };
  } catch (e) {
    reply = { id: request.id, error: asTaskError(e) };
  }
  parentPort!.postMessage(reply, transferable(reply.result));
});
