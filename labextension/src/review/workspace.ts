// The review workspace in JupyterLab's main area: one job's artifacts listed beside the selected
// one's large preview, findings and decision, driven by the keyboard as well as the mouse.
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { artifactDetail } from './artifactDetail';
import type { ReviewModel } from './model';
import { needsPreview } from '../../../hub-service/src/review/triage';

function button(text: string, className: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `jp-mod-styled jp-hbroker-button ${className}`;
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

const typing = (target: EventTarget | null) =>
  target instanceof HTMLTextAreaElement ||
  target instanceof HTMLInputElement ||
  target instanceof HTMLSelectElement;

export class ReviewWorkspace extends Widget {
  static readonly id = 'hbroker-review-workspace';
  private status = document.createElement('p');
  private list = document.createElement('ul');
  private detail = document.createElement('div');
  private approveAll: HTMLButtonElement;
  private submitButton: HTMLButtonElement;
  private shownView: unknown;
  private shownPath: string | undefined;
  private updateDetail: (() => void) | undefined;

  constructor(
    private model: ReviewModel,
    private trans: TranslationBundle
  ) {
    super();
    this.id = ReviewWorkspace.id;
    this.addClass('jp-hbroker-ReviewWorkspace');
    this.title.closable = true;
    this.approveAll = button('', 'jp-mod-accept jp-hbroker-ReviewWorkspace-approveAll', () =>
      this.model.approvePassing()
    );
    this.approveAll.setAttribute('aria-keyshortcuts', 'Shift+A');
    this.submitButton = button(trans.__('Submit review'), 'jp-mod-accept', () => {
      void this.model.submit();
    });
    this.node.addEventListener('keydown', this.onKey);
    model.changed.connect(this.render, this);
    this.render();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.model.changed.disconnect(this.render, this);
    super.dispose();
  }

  /** Puts the keyboard on the artifact list, where the review keys work. */
  focusList(): void {
    this.list.focus();
  }

  protected onActivateRequest(): void {
    this.focusList();
  }

  private render(): void {
    const { view, error, message, selected } = this.model;
    if (!view) {
      this.node.replaceChildren();
      this.shownView = undefined;
      return;
    }
    if (view !== this.shownView) {
      this.shownView = view;
      this.shownPath = undefined;
      this.build();
    }
    if (selected !== this.shownPath) {
      this.shownPath = selected;
      const artifact = view.job.artifacts.find(a => a.path === selected);
      const part = artifact
        ? artifactDetail(artifact, this.model, this.trans, this.decided)
        : undefined;
      this.updateDetail = part?.update;
      this.detail.replaceChildren(part?.node ?? this.placeholder());
    }
    this.updateDetail?.();
    this.status.textContent = error ?? message ?? '';
    this.status.classList.toggle('jp-hbroker-error', !!error);
    this.status.setAttribute('role', error ? 'alert' : 'status');
    const passing = this.model.passing().length;
    this.approveAll.textContent = this.trans.__(
      'Approve all that passed every check (%1)',
      passing
    );
    this.approveAll.disabled = passing === 0;
    for (const item of this.list.querySelectorAll<HTMLLIElement>('[role="option"]')) {
      const path = item.dataset.path!;
      const decision = this.model.form?.get(path).decision;
      item.dataset.decision = decision ?? '';
      item.setAttribute('aria-selected', String(path === selected));
      const state = item.querySelector('.jp-hbroker-ReviewItem-decision')!;
      state.textContent =
        decision === 'approve'
          ? this.trans.__('approved')
          : decision === 'reject'
            ? this.trans.__('rejected')
            : this.trans.__('undecided');
      if (path === selected) {
        this.list.setAttribute('aria-activedescendant', item.id);
        item.scrollIntoView?.({ block: 'nearest' });
      }
    }
  }

  private placeholder(): HTMLElement {
    const p = document.createElement('p');
    p.className = 'jp-hbroker-ReviewPanel-empty';
    p.textContent = this.trans.__('Select an output in the list to see it here.');
    return p;
  }

  private build(): void {
    const trans = this.trans;
    const view = this.model.view!;
    const job = view.job;
    this.title.label = trans.__('Review %1', job.id);
    this.title.caption = trans.__('Review of job %1 (%2)', job.id, job.manifest.notebook);
    this.node.dataset.jobId = job.id;
    const heading = document.createElement('h2');
    heading.textContent = trans.__('%1 on study %2', job.manifest.notebook, job.manifest.study);
    const about = document.createElement('p');
    about.className = 'jp-hbroker-JobRow-meta';
    about.textContent = view.blinded
      ? trans.__(
          'Job %1 by %2. %3 checkers review it independently; you see the other review once both are in.',
          job.id,
          job.owner,
          view.required_reviewers
        )
      : trans.__('Job %1 by %2.', job.id, job.owner);
    const header = document.createElement('header');
    header.className = 'jp-hbroker-ReviewWorkspace-header';
    header.append(heading, about);
    if (job.manifest.justification) {
      const why = document.createElement('p');
      why.textContent = trans.__('Justification: %1', job.manifest.justification);
      header.append(why);
    }
    const keys = document.createElement('p');
    keys.className = 'jp-hbroker-JobRow-meta';
    keys.textContent = trans.__(
      'Keys in the list: ↑ ↓ (or j k) move, a approve and go on, Shift+A approve all that passed every check, r reject and write the comment, Ctrl+Enter in the comment goes on. Images and logs are approved only after their preview shows.'
    );
    this.status.className = 'jp-hbroker-JobsPanel-status';
    const tools = document.createElement('div');
    tools.className = 'jp-hbroker-ReviewWorkspace-tools';
    tools.append(this.approveAll, this.status);
    header.append(keys, tools);

    this.list.className = 'jp-hbroker-ReviewWorkspace-list';
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', trans.__('Outputs of job %1', job.id));
    this.list.tabIndex = 0;
    this.list.replaceChildren(
      ...job.artifacts.map((artifact, i) => {
        const item = document.createElement('li');
        item.id = `hbroker-review-item-${job.id}-${i}`;
        item.setAttribute('role', 'option');
        item.className = 'jp-hbroker-ReviewItem';
        item.dataset.path = artifact.path;
        const flagged = artifact.findings.some(f => f.verdict !== 'pass');
        item.dataset.flagged = String(flagged);
        const name = document.createElement('span');
        name.className = 'jp-hbroker-ReviewItem-path';
        name.textContent = artifact.path;
        const meta = document.createElement('span');
        meta.className = 'jp-hbroker-ReviewItem-meta';
        const notes = [
          flagged ? trans.__('flagged') : trans.__('passed'),
          ...(needsPreview(artifact) ? [trans.__('look first')] : [])
        ];
        meta.textContent = `${notes.join(', ')} · `;
        const decision = document.createElement('span');
        decision.className = 'jp-hbroker-ReviewItem-decision';
        meta.append(decision);
        item.append(name, meta);
        item.addEventListener('click', () => {
          void this.model.select(artifact.path);
          this.list.focus();
        });
        return item;
      })
    );
    this.detail.className = 'jp-hbroker-ReviewWorkspace-detail';
    const body = document.createElement('div');
    body.className = 'jp-hbroker-ReviewWorkspace-body';
    body.append(this.list, this.detail);

    const changes = document.createElement('textarea');
    changes.className = 'jp-mod-styled';
    changes.name = 'changes';
    changes.rows = 2;
    changes.maxLength = 4000;
    changes.value = this.model.form!.changes;
    changes.addEventListener('input', () => (this.model.form!.changes = changes.value));
    const label = document.createElement('label');
    label.className = 'jp-hbroker-ReviewArtifact-field';
    const text = document.createElement('span');
    text.textContent = trans.__('Or return the whole job: what should the author change?');
    label.append(text, changes);
    const giveBack = button(trans.__('Return to author'), 'jp-mod-warn', () => {
      void this.model.returnJob();
    });
    const actions = document.createElement('footer');
    actions.className = 'jp-hbroker-ReviewJob-actions';
    actions.append(this.submitButton, label, giveBack);
    this.node.replaceChildren(header, body, actions);
    const first = job.artifacts[0];
    if (first && !this.model.selected) {
      void this.model.select(first.path);
    }
  }

  /** After a decision: the next undecided artifact, or Submit once none is left. */
  private goOn(): void {
    const next = this.model.nextUndecided();
    if (next) {
      void this.model.select(next);
      this.list.focus();
    } else {
      this.submitButton.focus();
    }
  }

  /** Approved: on to the next; rejected: the comment, to say why. */
  private decided = (decision: 'approve' | 'reject'): void => {
    if (decision === 'approve') {
      this.goOn();
    } else {
      this.detail.querySelector<HTMLTextAreaElement>('textarea[name="comment"]')?.focus();
    }
  };

  private onKey = (event: KeyboardEvent): void => {
    const path = this.model.selected;
    if (event.altKey || event.metaKey) {
      return;
    }
    if (typing(event.target)) {
      if (event.key === 'Enter' && event.ctrlKey) {
        event.preventDefault();
        this.goOn();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        this.list.focus();
      }
      return;
    }
    if (event.ctrlKey || event.target !== this.list) {
      return;
    }
    const keys: Record<string, () => void> = {
      ArrowDown: () => void this.model.move(1),
      j: () => void this.model.move(1),
      ArrowUp: () => void this.model.move(-1),
      k: () => void this.model.move(-1),
      Home: () => void this.model.move(-Infinity),
      End: () => void this.model.move(Infinity),
      A: () => this.model.approvePassing(),
      a: () => path && this.model.decide(path, 'approve') && this.decided('approve'),
      r: () => path && this.model.decide(path, 'reject') && this.decided('reject')
    };
    const act = keys[event.key];
    if (act) {
      event.preventDefault();
      act();
    }
  };
}
