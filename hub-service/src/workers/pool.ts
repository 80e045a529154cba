// A few worker threads that run the service's long, CPU-bound tasks so its event loop keeps answering.
import { Worker } from 'node:worker_threads';
import { HBrokerError } from '../errors.js';
import type { ITaskError, ITaskReply, ITaskRequest, TaskName } from './protocol.js';

interface IPending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface ISlot {
  worker: Worker;
  busy?: { id: number; pending: IPending };
}

interface IQueued {
  request: ITaskRequest;
  transfer: ArrayBuffer[];
  pending: IPending;
}

/** Under tsx (tests, development) the worker's TypeScript entry needs tsx's loader registered first. */
function startWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return new Worker(
      `const { workerData } = require('node:worker_threads');
       import(workerData.tsx).then(tsx => { tsx.register(); return import(workerData.entry); });`,
      {
        eval: true,
        workerData: {
          tsx: import.meta.resolve('tsx/esm/api'),
          entry: new URL('./entry.ts', here).href
        }
      }
    );
  }
  return new Worker(new URL('./entry.js', here));
}

/** The error a task threw, as the same kind of value: a user's sentence stays a sentence. */
export function errorFrom(e: ITaskError): Error {
  if (e.code !== undefined) {
    return new HBrokerError(e.code, e.message, e.status, e.details);
  }
  const error = new Error(e.message);
  error.stack = e.stack;
  return error;
}

export class WorkerPool {
  private slots: ISlot[] = [];
  private queue: IQueued[] = [];
  private next = 1;
  private closed = false;

  /** At most `size` threads, started when first needed and kept for the next task. */
  constructor(private size: number) {}

  run<T>(task: TaskName, input: unknown, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.closed) {
      return Promise.reject(new Error('the worker pool is closed'));
    }
    return new Promise<T>((resolve, reject) => {
      const request = { id: this.next++, task, input };
      this.queue.push({
        request,
        transfer,
        pending: { resolve: resolve as IPending['resolve'], reject }
      });
      this.dispatch();
    });
  }

  /** Stops every thread; a task still running fails. */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const q of this.queue.splice(0)) {
      q.pending.reject(new Error('the service stopped before this task started'));
    }
    await Promise.all(slots.map(s => s.worker.terminate()));
  }

  get threads(): number {
    return this.slots.length;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find(s => !s.busy);
      if (!slot && this.slots.length < this.size) {
        slot = this.spawn();
      }
      if (!slot) {
        return;
      }
      const { request, transfer, pending } = this.queue.shift()!;
      slot.busy = { id: request.id, pending };
      slot.worker.ref();
      slot.worker.postMessage(request, transfer);
    }
  }

  private spawn(): ISlot {
    const slot: ISlot = { worker: startWorker() };
    const { worker } = slot;
    worker.on('message', (reply: ITaskReply) => {
      const busy = slot.busy;
      if (!busy || busy.id !== reply.id) {
        return;
      }
      slot.busy = undefined;
      // An idle thread does not keep the process alive.
      worker.unref();
      if (reply.error) {
        busy.pending.reject(errorFrom(reply.error));
      } else {
        busy.pending.resolve(reply.result);
      }
      this.dispatch();
    });
    const lost = (why: string) => {
      this.slots = this.slots.filter(s => s !== slot);
      const busy = slot.busy;
      slot.busy = undefined;
      busy?.pending.reject(new Error(`a worker thread ${why} while it ran a task`));
      if (!this.closed) {
        this.dispatch();
      }
    };
    worker.on('error', e => lost(`failed (${e.message})`));
    worker.on('exit', code => lost(`exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }
}
