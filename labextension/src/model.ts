// The jobs the panel shows: listed from the service, kept live over Server-Sent Events (state and
// progress only), with a signal when a job changes state (for notifications).
import { nullTranslator, type TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';
import { isTerminal } from '../../hub-service/src/jobs/states';
import type { HBrokerClient, Job, JobEvent, JobState } from './request';

/** The part of EventSource the model uses, so tests can stand in for the browser's. */
export interface IEventStream {
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
  onerror: ((event: Event) => void) | null;
  /** 2 (CLOSED) when the browser gave up, e.g. on a 401; it then never reconnects. */
  readonly readyState?: number;
}

export type EventStreamFactory = (url: string) => IEventStream;

export interface IStateChange {
  job: Job;
  previous: JobState | undefined;
}

/** States whose announcement waits for the job's outcome (it arrives with the job, not the event). */
const vettedStates = new Set<JobState>(['awaiting_review', 'released', 'rejected']);

/** How often jobs with an open request for a checker are re-read (their state no longer changes). */
const requestPollMs = 15000;

const asksChecker = (job: Job) =>
  job.outcome?.requested.some(r => r.review_request === 'open') ?? false;

export class JobsModel {
  private byId = new Map<string, Job>();
  private poll: ReturnType<typeof setTimeout> | undefined;
  private streams = new Map<string, IEventStream>();
  private _changed = new Signal<this, void>(this);
  private _stateChanged = new Signal<this, IStateChange>(this);
  private _error: string | undefined;

  constructor(
    readonly client: HBrokerClient,
    private openStream: EventStreamFactory = url =>
      new EventSource(url, { withCredentials: true }) as IEventStream,
    private trans: TranslationBundle = nullTranslator.load('hbroker')
  ) {}

  /** Any change to the list, a job, or the last error. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** A job moved to another state (not emitted for jobs seen for the first time on load). */
  get stateChanged(): ISignal<this, IStateChange> {
    return this._stateChanged;
  }

  /** Newest first. */
  get jobs(): Job[] {
    return [...this.byId.values()].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  }

  get error(): string | undefined {
    return this._error;
  }

  job(id: string): Job | undefined {
    return this.byId.get(id);
  }

  /** Reloads the list from the service and follows every unfinished job. */
  async refresh(): Promise<void> {
    try {
      const jobs = await this.client.jobs();
      this._error = undefined;
      for (const job of jobs) {
        this.put(job, false);
      }
    } catch (e) {
      this._error = (e as Error).message;
    }
    this._changed.emit();
    this.watchRequests();
  }

  /** Under auto: sends withheld outputs to the checkers' queue; the job comes back with the request. */
  async askForChecker(id: string, paths: string[], note: string): Promise<void> {
    // The author just asked: shown at once, not announced back to them as news.
    const job = await this.client.askForChecker(id, paths, note);
    this.byId.set(job.id, job);
    this._changed.emit();
    this.watchRequests();
  }

  /** While a checker has yet to answer an author's request, re-read the jobs now and then. */
  private watchRequests(): void {
    if (this.poll === undefined && this.jobs.some(asksChecker)) {
      this.poll = setTimeout(() => {
        this.poll = undefined;
        void this.refresh();
      }, requestPollMs);
    }
  }

  /** Adds a job just submitted (or fetched) and follows it. */
  add(job: Job): void {
    this.put(job, true);
    this._changed.emit();
  }

  async cancel(id: string): Promise<void> {
    this.put(await this.client.cancel(id), true);
    this._changed.emit();
  }

  /** Re-reads one job (artifacts and findings arrive with the job, not over the event stream). */
  async reload(id: string): Promise<Job> {
    const job = await this.client.job(id);
    this.put(job, true);
    this._changed.emit();
    return job;
  }

  dispose(): void {
    clearTimeout(this.poll);
    for (const stream of this.streams.values()) {
      stream.close();
    }
    this.streams.clear();
  }

  /** Stores a job; a state change is announced, and so is a new job when `announceNew`. */
  private put(job: Job, announceNew: boolean): void {
    const previous = this.byId.get(job.id);
    this.byId.set(job.id, job);
    // A checker's answer to the author's request changes the outcome, not the state: announce it too.
    const outcomeChanged =
      previous?.state === job.state &&
      previous.outcome !== undefined &&
      previous.outcome.summary !== job.outcome?.summary;
    if (previous ? previous.state !== job.state || outcomeChanged : announceNew) {
      this._stateChanged.emit({ job, previous: previous?.state });
    }
    if (isTerminal(job.state)) {
      this.stop(job.id);
    } else {
      this.follow(job.id);
    }
  }

  private stop(id: string): void {
    this.streams.get(id)?.close();
    this.streams.delete(id);
  }

  private follow(id: string): void {
    if (this.streams.has(id)) {
      return;
    }
    const stream = this.openStream(this.client.eventsUrl(id));
    this.streams.set(id, stream);
    const onEvent = (message: MessageEvent) => this.apply(JSON.parse(message.data) as JobEvent);
    stream.addEventListener('state', onEvent);
    stream.addEventListener('progress', onEvent);
    // The server ends the stream when the job ends; EventSource would reconnect, so stop instead.
    stream.onerror = () => {
      const job = this.byId.get(id);
      if (!job || isTerminal(job.state)) {
        this.stop(id);
      } else if (stream.readyState === 2) {
        // Refused (e.g. the session ended): forget it so the next refresh signs in and follows again.
        this.stop(id);
        this._error = this.trans.__(
          'Lost the live status of job %1. Press Refresh to follow it again.',
          id
        );
        this._changed.emit();
      }
    };
  }

  /** Folds one event into its job; a terminal state also re-reads the job for its artifacts. */
  apply(event: JobEvent): void {
    const job = this.byId.get(event.job_id);
    if (!job) {
      return;
    }
    if (event.type === 'progress' && event.cells !== undefined) {
      this.byId.set(job.id, {
        ...job,
        progress: { cell: event.cell ?? 0, cells: event.cells },
        updated_at: event.at
      });
      this._changed.emit();
      return;
    }
    if (event.type !== 'state' || !event.state || event.state === job.state) {
      return;
    }
    const next: Job = { ...job, state: event.state, updated_at: event.at };
    if (event.reason) {
      next.reason = event.reason;
    }
    if (event.state !== 'running') {
      delete next.progress;
    }
    this.byId.set(job.id, next);
    if (isTerminal(event.state)) {
      this.stop(job.id);
    }
    if (vettedStates.has(event.state)) {
      // Announce with what was released of what was asked, which only the job itself carries.
      void this.client
        .job(job.id)
        .catch(() => next)
        .then(full => {
          this.byId.set(full.id, full);
          this._stateChanged.emit({ job: full, previous: job.state });
          this._changed.emit();
        });
    } else {
      this._stateChanged.emit({ job: next, previous: job.state });
      if (isTerminal(event.state)) {
        void this.reload(job.id).catch(() => undefined);
      }
    }
    this._changed.emit();
  }
}
