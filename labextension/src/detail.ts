// One job in the main area: its state timeline (from the event stream), artifacts with their check
// findings and checker comments, and the job's actions.
import { InputDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { groupFindings } from '../../hub-service/src/jobs/findings';
import { isTerminal } from '../../hub-service/src/jobs/states';
import { jobActions, type IJobActions } from './actions';
import { bytes } from './format';
import type { EventStreamFactory, IEventStream, JobsModel } from './model';
import type { Artifact, Job, JobEvent, ReviewFeedback } from './request';
import { badgeLabel, badgeTone, findingGroups, outcomeSection } from './outcome';
import { preflightSection } from './preflight';
import { stateLabel } from './states';

export class JobDetail extends Widget {
  private events: JobEvent[] = [];
  private preflight: HTMLElement | undefined;
  private stream: IEventStream | undefined;

  constructor(
    readonly jobId: string,
    private model: JobsModel,
    private actions: IJobActions,
    private trans: TranslationBundle,
    openStream: EventStreamFactory
  ) {
    super();
    this.addClass('jp-hbroker-JobDetail');
    this.id = `hbroker-job-${jobId}`;
    this.title.label = trans.__('Sensitive run %1', jobId);
    this.title.closable = true;
    this.node.tabIndex = -1;
    model.changed.connect(this.render, this);
    this.stream = openStream(model.client.eventsUrl(jobId));
    const onEvent = (message: MessageEvent) => {
      const event = JSON.parse(message.data) as JobEvent;
      if (event.type === 'state') {
        this.events.push(event);
        this.render();
      }
      if (event.type === 'state' && event.state && isTerminal(event.state)) {
        this.closeStream();
      }
    };
    this.stream.addEventListener('state', onEvent);
    // The preflight's end: on the timeline with its time, and its result (and traceback) below.
    this.stream.addEventListener('preflight', (message: MessageEvent) => {
      this.events.push(JSON.parse(message.data) as JobEvent);
      void this.loadPreflight();
      this.render();
    });
    this.stream.onerror = () => {
      const job = model.job(jobId);
      if (!job || isTerminal(job.state)) {
        this.closeStream();
      }
    };
    void model.reload(jobId).catch(e => this.showError((e as Error).message));
    this.render();
  }

  dispose(): void {
    this.closeStream();
    this.model.changed.disconnect(this.render, this);
    super.dispose();
  }

  private closeStream(): void {
    this.stream?.close();
    this.stream = undefined;
  }

  private showError(message: string): void {
    const error = document.createElement('p');
    error.className = 'jp-hbroker-error';
    error.setAttribute('role', 'alert');
    error.textContent = message;
    this.node.replaceChildren(error);
  }

  private render(): void {
    const job = this.model.job(this.jobId);
    if (!job) {
      this.node.textContent = this.trans.__('Loading job %1…', this.jobId);
      return;
    }
    const trans = this.trans;
    const heading = document.createElement('h2');
    heading.textContent = trans.__('%1 on study %2', job.manifest.notebook, job.manifest.study);
    const state = document.createElement('p');
    state.className = 'jp-hbroker-JobDetail-state';
    state.dataset.state = job.state;
    state.dataset.tone = badgeTone(job);
    state.textContent = trans.__('State: %1', badgeLabel(job, trans));
    const parts: HTMLElement[] = [heading, state];
    if (job.reason) {
      const reason = document.createElement('p');
      reason.className = 'jp-hbroker-JobRow-reason';
      reason.textContent = job.reason;
      parts.push(reason);
    }
    parts.push(jobActions(job, this.actions, trans));
    if (job.outcome) {
      const ask = (path: string) => void this.askChecker(path);
      parts.push(this.section(trans.__('What you asked for'), outcomeSection(job, trans, ask)));
    }
    parts.push(this.section(trans.__('Timeline'), this.timeline()));
    if (this.preflight) {
      parts.push(this.section(trans.__('Preflight on synthetic data'), this.preflight));
    }
    parts.push(this.section(trans.__('Outputs and findings'), this.artifacts(job)));
    if (job.feedback) {
      parts.push(this.section(trans.__('Output checkers'), this.feedback(job.feedback)));
    }
    if (job.manifest.justification) {
      const text = document.createElement('p');
      text.textContent = job.manifest.justification;
      parts.push(this.section(trans.__('Justification'), text));
    }
    this.node.replaceChildren(...parts);
  }

  private async loadPreflight(): Promise<void> {
    const job = this.model.job(this.jobId) ?? (await this.model.reload(this.jobId));
    try {
      this.preflight = await preflightSection(job, this.model.client, this.trans);
    } catch (e) {
      this.preflight = document.createElement('p');
      this.preflight.className = 'jp-hbroker-error';
      this.preflight.textContent = (e as Error).message;
    }
    this.render();
  }

  /** Asks for the author's note, then sends the output to the checkers' queue. */
  private async askChecker(path: string): Promise<void> {
    const trans = this.trans;
    const note = await InputDialog.getText({
      title: trans.__('Ask an output checker about %1', path),
      label: trans.__('A note for the checker: why you need it and what it shows'),
      placeholder: trans.__('e.g. weekly means over at least 40 people each'),
      okLabel: trans.__('Send to a checker'),
      cancelLabel: trans.__('Cancel')
    });
    if (!note.button.accept) {
      return;
    }
    try {
      await this.model.askForChecker(this.jobId, [path], note.value ?? '');
    } catch (e) {
      this.showError((e as Error).message);
    }
  }

  private section(title: string, body: HTMLElement): HTMLElement {
    const section = document.createElement('section');
    const h = document.createElement('h3');
    h.textContent = title;
    section.append(h, body);
    return section;
  }

  private timeline(): HTMLElement {
    const list = document.createElement('ol');
    list.className = 'jp-hbroker-Timeline';
    for (const event of this.events) {
      const li = document.createElement('li');
      li.dataset.state = event.state ?? '';
      const time = document.createElement('time');
      time.dateTime = event.at;
      time.textContent = new Date(event.at).toLocaleTimeString();
      const label = document.createElement('span');
      label.textContent = event.state ? stateLabel(event.state, this.trans) : (event.reason ?? '');
      li.dataset.type = event.type;
      li.append(time, ' ', label);
      if (event.reason && event.state) {
        li.append(` — ${event.reason}`);
      }
      list.append(li);
    }
    return list;
  }

  /** The checkers' outcome, requested changes and comments (checkers are not named). */
  private feedback(feedback: ReviewFeedback): HTMLElement {
    const trans = this.trans;
    const box = document.createElement('div');
    box.className = 'jp-hbroker-Feedback';
    const outcome = document.createElement('p');
    outcome.textContent = trans.__('Outcome: %1', feedback.outcome);
    box.append(outcome);
    if (feedback.requested_changes.length) {
      const changes = document.createElement('ul');
      for (const change of feedback.requested_changes) {
        const li = document.createElement('li');
        li.textContent = trans.__('Change requested: %1', change);
        changes.append(li);
      }
      box.append(changes);
    }
    const comments = document.createElement('ul');
    comments.className = 'jp-hbroker-Comments';
    for (const c of feedback.comments) {
      const li = document.createElement('li');
      li.className = 'jp-hbroker-Comment';
      li.dataset.decision = c.decision;
      li.textContent = trans.__('%1 (%2): %3', c.path, c.decision, c.comment);
      comments.append(li);
    }
    if (!feedback.comments.length) {
      const none = document.createElement('li');
      none.textContent = trans.__('No comments.');
      comments.append(none);
    }
    box.append(comments);
    return box;
  }

  private artifacts(job: Job): HTMLElement {
    const list = document.createElement('ul');
    list.className = 'jp-hbroker-Artifacts';
    if (!job.artifacts.length) {
      const none = document.createElement('li');
      none.textContent = this.trans.__('No outputs yet.');
      list.append(none);
    }
    for (const artifact of job.artifacts) {
      list.append(this.artifact(artifact));
    }
    return list;
  }

  private artifact(artifact: Artifact): HTMLLIElement {
    const trans = this.trans;
    const li = document.createElement('li');
    li.className = 'jp-hbroker-Artifact';
    li.dataset.status = artifact.status;
    const title = document.createElement('div');
    title.textContent = trans.__(
      '%1 (%2, %3): %4',
      artifact.path,
      artifact.kind,
      bytes(artifact.size),
      artifact.status
    );
    li.append(title);
    // The same finding once with its lines; no pass that another check contradicts; each advice once.
    if (artifact.findings.length) {
      li.append(findingGroups(groupFindings(artifact.findings), trans));
    }
    return li;
  }
}
