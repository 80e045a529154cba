// The output checker's side in JupyterLab: the review queue, the job being reviewed with its form,
// previews loaded on demand (each one is audited), and submitting a review or a return.
import { nullTranslator, type TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';
import type { HBrokerClient, ReviewQueue, ReviewSubmission, ReviewView } from '../request';
import { previewOf, type Preview } from './content';
import { ReviewForm } from './form';

export type QueuedJob = ReviewQueue['jobs'][number];

export class ReviewModel {
  private _changed = new Signal<this, void>(this);
  private _queue: QueuedJob[] = [];
  private _view: ReviewView | undefined;
  private _form: ReviewForm | undefined;
  private previews = new Map<string, Preview | Error>();
  /** The last error, shown as an alert. */
  error: string | undefined;
  /** The last outcome, shown as a status (e.g. "Review of job … submitted"). */
  message: string | undefined;
  busy = false;

  constructor(
    readonly client: HBrokerClient,
    private trans: TranslationBundle = nullTranslator.load('hbroker')
  ) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get queue(): QueuedJob[] {
    return this._queue;
  }

  /** The job under review, as this checker may see it. */
  get view(): ReviewView | undefined {
    return this._view;
  }

  get form(): ReviewForm | undefined {
    return this._form;
  }

  /** Whether this user may review at all (GET /me scopes). */
  async mayReview(): Promise<boolean> {
    const me = await this.client.me();
    return me.scopes.includes('custom:hbroker:review');
  }

  async refresh(): Promise<void> {
    await this.run(async () => {
      this._queue = (await this.client.reviewQueue()).jobs;
    });
  }

  async open(id: string): Promise<void> {
    this.message = undefined;
    await this.run(async () => {
      const view = await this.client.review(id);
      this._view = view;
      this._form = new ReviewForm(
        view.job.artifacts.map(a => a.path),
        view.yours[view.yours.length - 1]
      );
      this.previews.clear();
    });
  }

  /** Back to the queue. */
  close(): void {
    this._view = undefined;
    this._form = undefined;
    this.previews.clear();
    this._changed.emit();
  }

  /** A loaded preview, or the error that kept it from loading. */
  preview(path: string): Preview | Error | undefined {
    return this.previews.get(path);
  }

  async loadPreview(path: string): Promise<void> {
    const view = this._view;
    const artifact = view?.job.artifacts.find(a => a.path === path);
    if (!view || !artifact) {
      return;
    }
    try {
      const { body } = await this.client.reviewArtifact(view.job.id, path);
      this.previews.set(path, previewOf(artifact, new Uint8Array(body)));
    } catch (e) {
      this.previews.set(path, e as Error);
    }
    this._changed.emit();
  }

  /** Sends the decisions; refused here, with the artifacts named, while one is undecided. */
  submit(): Promise<boolean> {
    const form = this._form;
    const body = form?.decisions();
    if (!form || !body) {
      this.error = this.trans.__(
        'Approve or reject every output before submitting. Still undecided: %1.',
        (form?.undecided() ?? []).join(', ')
      );
      this._changed.emit();
      return Promise.resolve(false);
    }
    return this.send(body, this.trans.__('Review of job %1 submitted.', this._view!.job.id));
  }

  /** Returns the whole job to its author; refused here while no change is asked for. */
  returnJob(): Promise<boolean> {
    const body = this._form?.returned();
    if (!body) {
      this.error = this.trans.__(
        'Say what the author should change before returning the job to them.'
      );
      this._changed.emit();
      return Promise.resolve(false);
    }
    return this.send(
      body,
      this.trans.__('Job %1 returned to its author with requested changes.', this._view!.job.id)
    );
  }

  private async send(body: ReviewSubmission, done: string): Promise<boolean> {
    if (this.busy) {
      // A second click while the first is on its way would only meet "review closed".
      return false;
    }
    const id = this._view!.job.id;
    const ok = await this.run(async () => {
      await this.client.submitReview(id, body);
    });
    if (ok) {
      this._view = undefined;
      this._form = undefined;
      this.previews.clear();
      await this.refresh();
      this.message = done;
      this._changed.emit();
    }
    return ok;
  }

  private async run(work: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.error = undefined;
    this._changed.emit();
    try {
      await work();
      return true;
    } catch (e) {
      this.error = (e as Error).message;
      return false;
    } finally {
      this.busy = false;
      this._changed.emit();
    }
  }
}
