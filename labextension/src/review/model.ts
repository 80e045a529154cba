// The output checker's side in JupyterLab: the review queue, the job being reviewed with its form,
// previews loaded on demand (each one is audited), and submitting a review or a return.
import { nullTranslator, type TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';
import type { HBrokerClient, ReviewQueue, ReviewSubmission, ReviewView } from '../request';
import { previewOf, type Preview } from './content';
import { ReviewForm, type Decision } from './form';
import { approvableTogether, needsPreview } from '../../../hub-service/src/review/triage';

export type QueuedJob = ReviewQueue['jobs'][number];

export class ReviewModel {
  private _changed = new Signal<this, void>(this);
  private _queue: QueuedJob[] = [];
  private _view: ReviewView | undefined;
  private _form: ReviewForm | undefined;
  private previews = new Map<string, Preview | Error>();
  private _selected: string | undefined;
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
      this._selected = undefined;
    });
  }

  /** Back to the queue. */
  close(): void {
    this._view = undefined;
    this._form = undefined;
    this._selected = undefined;
    this.previews.clear();
    this._changed.emit();
  }

  /** The artifact the workspace shows; its preview is loaded when it is selected. */
  get selected(): string | undefined {
    return this._selected;
  }

  private get paths(): string[] {
    return this._view?.job.artifacts.map(a => a.path) ?? [];
  }

  /** Shows an artifact, loading its preview (an audited view) unless it is loaded already. */
  select(path: string): Promise<void> {
    if (!this.paths.includes(path)) {
      return Promise.resolve();
    }
    this._selected = path;
    this.error = undefined;
    this._changed.emit();
    const loaded = this.previews.get(path);
    return loaded && !(loaded instanceof Error) ? Promise.resolve() : this.loadPreview(path);
  }

  /** Selects the artifact `step` places after (or before) the selected one, stopping at the ends. */
  move(step: number): Promise<void> {
    const paths = this.paths;
    const at = this._selected ? paths.indexOf(this._selected) : -1;
    const next = paths[Math.min(paths.length - 1, Math.max(0, at + step))];
    return next ? this.select(next) : Promise.resolve();
  }

  /** The next artifact without a decision after the selected one (wrapping), if any is left. */
  nextUndecided(): string | undefined {
    const undecided = this._form?.undecided() ?? [];
    const paths = this.paths;
    const at = this._selected ? paths.indexOf(this._selected) : -1;
    return [...paths.slice(at + 1), ...paths.slice(0, at + 1)].find(p => undecided.includes(p));
  }

  /**
   * Records a decision. Approving an image or the log is refused until its preview was shown: the
   * automatic checks cannot read what an image shows, and a log is whatever the code printed.
   */
  decide(path: string, decision: Decision): boolean {
    const artifact = this._view?.job.artifacts.find(a => a.path === path);
    if (!artifact || !this._form) {
      return false;
    }
    const loaded = this.previews.get(path);
    if (decision === 'approve' && needsPreview(artifact) && (!loaded || loaded instanceof Error)) {
      this.error = this.trans.__(
        'Look at %1 before approving it: open its preview (select it in the list) and wait until it shows.',
        path
      );
      this._changed.emit();
      return false;
    }
    this.error = undefined;
    this._form.set(path, { decision });
    this._changed.emit();
    return true;
  }

  /** Artifacts "Approve all that passed every check" would approve: undecided, and not an image or log. */
  passing(): string[] {
    const undecided = new Set(this._form?.undecided() ?? []);
    return (this._view?.job.artifacts ?? [])
      .filter(a => undecided.has(a.path) && approvableTogether(a))
      .map(a => a.path);
  }

  /** Approves every undecided artifact that passed every check; images and logs are left. */
  approvePassing(): string[] {
    const paths = this.passing();
    for (const path of paths) {
      this._form!.set(path, { decision: 'approve' });
    }
    this.message = this.trans._n(
      'Approved %1 output that passed every check.',
      'Approved %1 outputs that passed every check.',
      paths.length
    );
    this._changed.emit();
    return paths;
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
      this._selected = undefined;
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
