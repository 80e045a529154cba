// The one place job state changes: store event, audit entry, live notification and metric, together.
import { EventEmitter } from 'node:events';
import type { AuditLog } from '../audit/index.js';
import type { Metrics } from '../metrics.js';
import type { JobEvent, JobState } from '../schema/index.js';
import type { IJobRecord, IStore } from '../store/index.js';

export class JobJournal {
  private live = new EventEmitter();

  constructor(
    readonly store: IStore,
    readonly audit: AuditLog,
    private metrics: Metrics
  ) {
    this.live.setMaxListeners(0);
  }

  create(job: IJobRecord, detail: Record<string, unknown>): void {
    const event = this.store.createJob(job);
    this.audit.record(job.owner, 'job.submit', job.id, detail);
    this.audit.record('hbroker', 'job.state', job.id, { state: 'queued' });
    this.metrics.submitted.inc();
    this.metrics.transitions.inc({ state: 'queued' });
    this.live.emit(job.id, event);
  }

  /** Moves a job forward; false when the move is not allowed (e.g. it was canceled meanwhile). */
  transition(jobId: string, state: JobState, reason?: string, actor = 'hbroker'): boolean {
    const event = this.store.appendEvent({
      job_id: jobId,
      at: new Date().toISOString(),
      type: 'state',
      state,
      ...(reason ? { reason } : {})
    });
    if (!event) {
      return false;
    }
    this.audit.record(actor, 'job.state', jobId, reason ? { state, reason } : { state });
    this.metrics.transitions.inc({ state });
    this.live.emit(jobId, event);
    return true;
  }

  progress(jobId: string, cell: number, cells: number): void {
    const event = this.store.appendEvent({
      job_id: jobId,
      at: new Date().toISOString(),
      type: 'progress',
      cell,
      cells
    });
    if (event) {
      this.live.emit(jobId, event);
    }
  }

  /** The preflight's end on the timeline: passed, failed or skipped, and how long it took. */
  preflight(jobId: string, reason: string): void {
    const event = this.store.appendEvent({
      job_id: jobId,
      at: new Date().toISOString(),
      type: 'preflight',
      reason
    });
    if (event) {
      this.live.emit(jobId, event);
    }
  }

  /** One line of the job's build log, kept as an event and streamed live; dropped unless building. */
  buildLog(jobId: string, line: string): void {
    const event = this.store.appendEvent({
      job_id: jobId,
      at: new Date().toISOString(),
      type: 'build_log',
      line: line.slice(0, 2000)
    });
    if (event) {
      this.live.emit(jobId, event);
    }
  }

  state(jobId: string): JobState | undefined {
    return this.store.status(jobId)?.state;
  }

  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void {
    this.live.on(jobId, listener);
    return () => this.live.off(jobId, listener);
  }
}
