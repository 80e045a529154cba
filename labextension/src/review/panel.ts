// The "Output review" sidebar for output checkers: the queue of jobs awaiting their review, and
// one job at a time with every artifact to approve or reject, or the job to return to its author.
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { age } from '../format';
import { artifactReview } from './artifactReview';
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
  /** What the body shows now: the queue, or the view of one job (rebuilt only when it changes). */
  private shown: unknown;
  private updates: (() => void)[] = [];

  constructor(
    private model: ReviewModel,
    private trans: TranslationBundle
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
    if (!this.model.view) {
      void this.model.refresh();
    }
  }

  dispose(): void {
    this.model.changed.disconnect(this.render, this);
    super.dispose();
  }

  private render(): void {
    const { error, message, view, queue } = this.model;
    this.status.textContent = error ?? message ?? '';
    this.status.classList.toggle('jp-hbroker-error', !!error);
    this.status.setAttribute('role', error ? 'alert' : 'status');
    const showing = view ?? queue;
    if (showing !== this.shown) {
      this.shown = showing;
      this.updates = [];
      this.body.replaceChildren(view ? this.job() : this.queue());
    }
    this.updates.forEach(update => update());
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
      () => void this.model.open(job.id)
    );
    open.setAttribute('aria-label', trans.__('Review job %1 (%2)', job.id, job.notebook));
    li.append(title, meta, open);
    return li;
  }

  private job(): HTMLElement {
    const trans = this.trans;
    const { view, form } = this.model;
    const job = view!.job;
    const box = document.createElement('div');
    box.className = 'jp-hbroker-ReviewJob';
    box.dataset.jobId = job.id;
    const back = button(trans.__('Back to the queue'), 'jp-mod-reject', () => this.model.close());
    const heading = document.createElement('h3');
    heading.textContent = trans.__('%1 on study %2', job.manifest.notebook, job.manifest.study);
    heading.tabIndex = -1;
    const about = document.createElement('p');
    about.className = 'jp-hbroker-JobRow-meta';
    about.textContent = view!.blinded
      ? trans.__(
          'Job %1 by %2. %3 checkers review it independently; you see the other review once both are in.',
          job.id,
          job.owner,
          view!.required_reviewers
        )
      : trans.__('Job %1 by %2.', job.id, job.owner);
    box.append(back, heading, about);
    if (job.manifest.justification) {
      const why = document.createElement('p');
      why.textContent = trans.__('Justification: %1', job.manifest.justification);
      box.append(why);
    }
    for (const artifact of job.artifacts) {
      const part = artifactReview(artifact, this.model, form!, trans);
      this.updates.push(part.update);
      box.append(part.node);
    }
    const submit = button(trans.__('Submit review'), 'jp-mod-accept', () => {
      void this.model.submit();
    });
    const changes = document.createElement('textarea');
    changes.className = 'jp-mod-styled';
    changes.name = 'changes';
    changes.rows = 3;
    changes.maxLength = 4000;
    changes.value = form!.changes;
    changes.addEventListener('input', () => (form!.changes = changes.value));
    const label = document.createElement('label');
    label.className = 'jp-hbroker-ReviewArtifact-field';
    const text = document.createElement('span');
    text.textContent = trans.__('Or return the whole job: what should the author change?');
    label.append(text, changes);
    const giveBack = button(trans.__('Return to author'), 'jp-mod-warn', () => {
      void this.model.returnJob();
    });
    const actions = document.createElement('div');
    actions.className = 'jp-hbroker-ReviewJob-actions';
    actions.append(submit, label, giveBack);
    box.append(actions);
    requestAnimationFrame(() => heading.focus());
    return box;
  }
}
