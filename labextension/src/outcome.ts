// What happened to what was asked, for the badge, the row and the job detail: never a plain
// "released" when some or all of the requested outputs were withheld or never written.
import type { TranslationBundle } from '@jupyterlab/translation';
import type { FindingGroup, Job, JobOutcome } from './request';
import { stateLabel } from './states';

type Requested = JobOutcome['requested'][number];

/** The badge: "released" only when everything asked for came back. */
export function badgeLabel(job: Job, trans: TranslationBundle): string {
  const tone = job.state === 'released' ? job.outcome?.tone : undefined;
  if (tone === 'partial') {
    return trans.__('partly released');
  }
  if (tone === 'none') {
    return trans.__('nothing released');
  }
  return stateLabel(job.state, trans);
}

/** The tone a badge is drawn in (data-tone): success, partial, none or pending; '' when none applies. */
export const badgeTone = (job: Job): string =>
  job.state === 'released' || job.state === 'awaiting_review' ? (job.outcome?.tone ?? '') : '';

/** May the author send this withheld output to an output checker? */
export const canAskChecker = (job: Job, r: Requested): boolean =>
  job.state === 'released' &&
  job.release_policy === 'auto' &&
  r.status === 'withheld' &&
  r.needs === 'checker' &&
  !r.review_request;

export function findingGroups(groups: FindingGroup[], trans: TranslationBundle): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'jp-hbroker-Findings';
  for (const group of groups) {
    const item = document.createElement('li');
    item.className = 'jp-hbroker-Finding';
    item.dataset.verdict = group.verdict;
    item.textContent = `${group.check} · ${group.verdict}: ${group.reason}`;
    for (const mitigation of group.mitigations) {
      const hint = document.createElement('div');
      hint.className = 'jp-hbroker-Finding-mitigation';
      hint.textContent = trans.__('What to change: %1', mitigation.detail);
      item.append(hint);
    }
    list.append(item);
  }
  return list;
}

const statusWords = (r: Requested, trans: TranslationBundle): string =>
  ({
    released: trans.__('released'),
    withheld: trans.__('withheld'),
    pending: trans.__('waits for a checker'),
    missing: trans.__('not written')
  })[r.status];

const requestWords = (r: Requested, trans: TranslationBundle): string =>
  r.review_request === 'open'
    ? trans.__('You asked an output checker; waiting for their decision.')
    : r.review_request === 'rejected' && r.status !== 'released'
      ? trans.__('An output checker rejected it on your request.')
      : '';

/**
 * The outcome section of a job: the summary, then each requested output with its fate, its grouped
 * findings and, where only a checker can release it, "Ask for a checker".
 */
export function outcomeSection(
  job: Job,
  trans: TranslationBundle,
  askChecker: (path: string) => void
): HTMLElement {
  const outcome = job.outcome!;
  const box = document.createElement('div');
  box.className = 'jp-hbroker-Outcome';
  box.dataset.tone = outcome.tone;
  const summary = document.createElement('p');
  summary.className = 'jp-hbroker-Outcome-summary';
  summary.textContent = outcome.summary;
  const list = document.createElement('ul');
  list.className = 'jp-hbroker-Requested';
  for (const r of outcome.requested) {
    const li = document.createElement('li');
    li.className = 'jp-hbroker-Requested-item';
    li.dataset.path = r.path;
    li.dataset.status = r.status;
    const title = document.createElement('div');
    title.className = 'jp-hbroker-Requested-title';
    const name = document.createElement('code');
    name.textContent = r.path;
    const status = document.createElement('span');
    status.className = 'jp-hbroker-Requested-status';
    status.textContent = statusWords(r, trans);
    title.append(name, ' ', status);
    const why = document.createElement('div');
    why.className = 'jp-hbroker-Requested-why';
    why.textContent = [r.why, requestWords(r, trans)].filter(Boolean).join(' ');
    li.append(title, why);
    if (r.findings.length) {
      li.append(findingGroups(r.findings, trans));
    }
    if (canAskChecker(job, r)) {
      const ask = document.createElement('button');
      ask.type = 'button';
      ask.className = 'jp-mod-styled jp-mod-accept jp-hbroker-button jp-hbroker-AskChecker';
      ask.textContent = trans.__('Ask for a checker');
      ask.title = trans.__('Send %1 to the output checkers with a note', r.path);
      ask.addEventListener('click', () => askChecker(r.path));
      li.append(ask);
    }
    list.append(li);
  }
  box.append(summary, list);
  const other = outcome.other;
  if (other && other.released + other.withheld > 0) {
    const more = document.createElement('p');
    more.className = 'jp-hbroker-Outcome-other';
    more.textContent = trans.__(
      'Notebook outputs, the notebook and the log: %1 released, %2 withheld (listed below).',
      other.released,
      other.withheld
    );
    box.append(more);
  }
  return box;
}
