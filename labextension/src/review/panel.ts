// The "Output review" sidebar for output checkers: the queue of jobs awaiting their review; a job
// opens in the review workspace in the main area (workspace.ts).
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { age } from '../format';
import type { QueuedJob, ReviewModel } from './model';

function button(text: string, className: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `jp-mod-styled jp-hbroker-button ${className}`;
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

export class ReviewPanel extends Widget {
  /** The sidebar widget's id (part of the UI contract; the layout restorer keys on it). */
  static readonly id = 'hbroker-review';
  private status = document.createElement('p');
  private body = document.createElement('div');
  /** The queue shown now (rebuilt only when it changes). */
  private shown: unknown;

  /** `openJob` opens a job of the queue in the review workspace. */
  constructor(
    private model: ReviewModel,
    private trans: TranslationBundle,
    private openJob: (id: string) => void
  ) {
    super();
    this.id = ReviewPanel.id;
    this.addClass('jp-hbroker-JobsPanel');
    this.addClass('jp-hbroker-ReviewPanel');
    this.title.caption = trans.__('Output review');
    const heading = document.createElement('h2');
    heading.className = 'jp-hbroker-JobsPanel-title';
    heading.textContent = trans.__('Output review');
    const refresh = button(trans.__('Refresh'), 'jp-hbroker-JobsPanel-refresh', () => {
      void this.model.refresh();
    });
    const header = document.createElement('div');
    header.className = 'jp-hbroker-JobsPanel-header';
    header.append(heading, refresh);
    this.status.className = 'jp-hbroker-JobsPanel-status';
    this.body.className = 'jp-hbroker-ReviewPanel-body';
    this.node.append(header, this.status, this.body);
    model.changed.connect(this.render, this);
    this.render();
  }

  protected onAfterShow(): void {
    void this.model.refresh();
  }

  dispose(): void {
    this.model.changed.disconnect(this.render, this);
    super.dispose();
  }

  private render(): void {
    const { error, message, view, queue } = this.model;
    // While a job is open, its errors show in the workspace, beside what caused them.
    const alert = view ? undefined : error;
    this.status.textContent = alert ?? (view ? '' : message) ?? '';
    this.status.classList.toggle('jp-hbroker-error', !!alert);
    this.status.setAttribute('role', alert ? 'alert' : 'status');
    if (queue !== this.shown) {
      this.shown = queue;
      this.body.replaceChildren(this.queue());
    }
    for (const row of this.body.querySelectorAll<HTMLElement>('.jp-hbroker-ReviewRow')) {
      row.classList.toggle('jp-mod-active', row.dataset.jobId === view?.job.id);
    }
  }

  private queue(): HTMLElement {
    const trans = this.trans;
    const list = document.createElement('ul');
    list.className = 'jp-hbroker-JobsPanel-list';
    list.setAttribute('aria-label', trans.__('Jobs awaiting your review'));
    if (!this.model.queue.length) {
      const none = document.createElement('li');
      none.className = 'jp-hbroker-ReviewPanel-empty';
      none.textContent = trans.__('No jobs are waiting for your review.');
      list.append(none);
    }
    for (const job of this.model.queue) {
      list.append(this.queued(job));
    }
    return list;
  }

  private queued(job: QueuedJob): HTMLLIElement {
    const trans = this.trans;
    const li = document.createElement('li');
    li.className = 'jp-hbroker-JobRow jp-hbroker-ReviewRow';
    li.dataset.jobId = job.id;
    const title = document.createElement('div');
    title.className = 'jp-hbroker-JobRow-title';
    title.textContent = trans.__('%1 on study %2', job.notebook, job.study);
    const meta = document.createElement('div');
    meta.className = 'jp-hbroker-JobRow-meta';
    meta.textContent = trans.__(
      '%1 · by %2 · %3 · %4 outputs, %5 flagged',
      job.id,
      job.owner,
      age(job.created_at, Date.now(), trans),
      job.artifacts,
      job.flagged
    );
    const open = button(
      job.reviewed_by_you ? trans.__('Revise your review') : trans.__('Review'),
      'jp-mod-accept',
      () => this.openJob(job.id)
    );
    open.setAttribute('aria-label', trans.__('Review job %1 (%2)', job.id, job.notebook));
    li.append(title, meta, open);
    return li;
  }
}
