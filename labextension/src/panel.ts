// The jobs panel in the left sidebar ("Sensitive runs"): one row per job with its state, folder,
// study, owner (for admins), age, duration and live progress, and a filter; a row opens the
// job's detail.
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { isTerminal } from '../../hub-service/src/jobs/states';
import { jobActions, type IJobActions } from './actions';
import { age, duration } from './format';
import type { JobsModel } from './model';
import type { Job } from './request';
import { badgeLabel, badgeTone } from './outcome';

export class JobsPanel extends Widget {
  /** The sidebar widget's id (part of the UI contract; the layout restorer keys on it). */
  static readonly id = 'hbroker-jobs';
  private list = document.createElement('ul');
  private status = document.createElement('p');
  private filter = document.createElement('input');
  private timer: number | undefined;
  /** Who is looking, once the service says: admins see every job, so rows name the owner. */
  private viewer: { user: string; admin: boolean } | undefined;

  /** `folderOf`: the folder a job was submitted from, where this browser recorded it. */
  constructor(
    private model: JobsModel,
    private actions: IJobActions,
    private trans: TranslationBundle,
    private folderOf: (id: string) => string | undefined = () => undefined
  ) {
    super();
    this.id = JobsPanel.id;
    this.addClass('jp-hbroker-JobsPanel');
    this.title.caption = trans.__('Sensitive runs');
    const heading = document.createElement('h2');
    heading.className = 'jp-hbroker-JobsPanel-title';
    heading.textContent = trans.__('Sensitive runs');
    const refresh = document.createElement('button');
    refresh.className = 'jp-mod-styled jp-hbroker-JobsPanel-refresh';
    refresh.textContent = trans.__('Refresh');
    refresh.addEventListener('click', () => void this.model.refresh());
    const header = document.createElement('div');
    header.className = 'jp-hbroker-JobsPanel-header';
    header.append(heading, refresh);
    this.filter.type = 'search';
    this.filter.className = 'jp-mod-styled jp-hbroker-JobsPanel-filter';
    this.filter.placeholder = trans.__('Filter: notebook, folder, study, owner, state');
    this.filter.setAttribute('aria-label', trans.__('Filter sensitive runs'));
    this.filter.addEventListener('input', () => this.render());
    this.status.className = 'jp-hbroker-JobsPanel-status';
    this.list.className = 'jp-hbroker-JobsPanel-list';
    this.list.setAttribute('aria-label', trans.__('Sensitive runs'));
    this.node.append(header, this.filter, this.status, this.list);
    model.changed.connect(this.render, this);
    this.render();
  }

  setViewer(viewer: { user: string; admin: boolean }): void {
    this.viewer = viewer;
    this.render();
  }

  protected onAfterShow(): void {
    void this.model.refresh();
    // Ages and running durations move with the clock, not only with events.
    this.timer = window.setInterval(() => this.render(), 10000);
  }

  protected onAfterHide(): void {
    window.clearInterval(this.timer);
  }

  dispose(): void {
    window.clearInterval(this.timer);
    this.model.changed.disconnect(this.render, this);
    super.dispose();
  }

  private render(): void {
    const jobs = this.model.jobs;
    const error = this.model.error;
    this.status.textContent = error
      ? error
      : jobs.length
        ? ''
        : this.trans.__(
            'No sensitive runs yet. Submit a notebook with "Submit for sensitive run".'
          );
    this.status.classList.toggle('jp-hbroker-error', !!error);
    this.status.setAttribute('role', error ? 'alert' : 'status');
    const wanted = this.filter.value.trim().toLowerCase();
    const shown = jobs.filter(job => !wanted || this.searchText(job).includes(wanted));
    if (jobs.length && !shown.length && !error) {
      this.status.textContent = this.trans.__('No sensitive run matches "%1".', this.filter.value);
    }
    this.list.replaceChildren(...shown.map(job => this.row(job)));
  }

  /** Where a job came from, as the row shows it: folder, study and (for admins) owner. */
  private origin(job: Job): string {
    const trans = this.trans;
    const folder = this.folderOf(job.id);
    return [
      folder !== undefined ? trans.__('in %1', folder || trans.__('your home folder')) : '',
      trans.__('study %1', job.manifest.study),
      this.viewer?.admin ? trans.__('by %1', job.owner) : ''
    ]
      .filter(Boolean)
      .join(' · ');
  }

  private searchText(job: Job): string {
    return [job.id, job.manifest.notebook, this.origin(job), job.state, job.owner]
      .join(' ')
      .toLowerCase();
  }

  private row(job: Job): HTMLLIElement {
    const trans = this.trans;
    const li = document.createElement('li');
    li.className = 'jp-hbroker-JobRow';
    li.dataset.jobId = job.id;
    li.dataset.state = job.state;
    li.dataset.tone = badgeTone(job);
    li.tabIndex = 0;
    li.setAttribute('role', 'button');
    li.setAttribute('aria-label', trans.__('Job %1, %2', job.id, badgeLabel(job, trans)));
    const open = () => this.actions.open(job.id);
    li.addEventListener('click', event => {
      if (!(event.target as HTMLElement).closest('button')) {
        open();
      }
    });
    li.addEventListener('keydown', event => {
      if ((event.key === 'Enter' || event.key === ' ') && event.target === li) {
        event.preventDefault();
        open();
      }
    });

    const title = document.createElement('div');
    title.className = 'jp-hbroker-JobRow-title';
    const name = document.createElement('span');
    name.className = 'jp-hbroker-JobRow-notebook';
    name.textContent = job.manifest.notebook;
    const state = document.createElement('span');
    state.className = 'jp-hbroker-JobRow-state';
    state.textContent = badgeLabel(job, trans);
    title.append(name, state);

    const now = Date.now();
    const meta = document.createElement('div');
    meta.className = 'jp-hbroker-JobRow-meta';
    meta.textContent = trans.__(
      '%1 · %2 · took %3',
      job.id,
      age(job.created_at, now, trans),
      duration(job.created_at, job.updated_at, isTerminal(job.state), now, trans)
    );
    const origin = document.createElement('div');
    origin.className = 'jp-hbroker-JobRow-meta jp-hbroker-JobRow-origin';
    origin.textContent = this.origin(job);
    li.append(title, origin, meta);

    if (job.state === 'running' && job.progress) {
      const progress = document.createElement('div');
      progress.className = 'jp-hbroker-JobRow-progress';
      progress.textContent = job.progress.cell
        ? trans.__('cell %1 of %2', job.progress.cell, job.progress.cells)
        : trans.__('%1 code cells to run', job.progress.cells);
      li.append(progress);
    }
    if (job.outcome) {
      const outcome = document.createElement('div');
      outcome.className = 'jp-hbroker-JobRow-outcome';
      outcome.textContent = job.outcome.summary;
      li.append(outcome);
    }
    if (job.reason) {
      const reason = document.createElement('div');
      reason.className = 'jp-hbroker-JobRow-reason';
      reason.textContent = job.reason;
      li.append(reason);
    }
    const buttons = jobActions(job, this.actions, trans);
    if (buttons.childElementCount) {
      li.append(buttons);
    }
    return li;
  }
}
