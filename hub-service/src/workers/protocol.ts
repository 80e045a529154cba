// The messages between the service and its worker threads: a task by name with cloneable input, and its reply.
import type { tasks } from './tasks.js';

export type TaskName = keyof typeof tasks;
export type TaskInput<K extends TaskName> = Parameters<(typeof tasks)[K]>[0];
export type TaskResult<K extends TaskName> = Awaited<ReturnType<(typeof tasks)[K]>>;

export interface ITaskRequest {
  id: number;
  task: TaskName;
  input: unknown;
}

/** An error crosses the thread as data; an HBrokerError keeps its code, status and sentence. */
export interface ITaskError {
  message: string;
  stack?: string;
  code?: string;
  status?: number;
  details?: string[];
}

export interface ITaskReply {
  id: number;
  result?: unknown;
  error?: ITaskError;
}

/** Files as one transferable buffer and where each lies in it (moved between threads, not copied). */
export interface IPackedFiles {
  entries: { path: string; mode: number; length: number }[];
  contents: ArrayBuffer;
}
