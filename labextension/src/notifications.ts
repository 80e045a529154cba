// JupyterLab notifications when a job is submitted, fails or is released, each with "Open job".
import { Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IStateChange } from './model';
import { failedStates, stateLabel } from './states';

export interface INotifier {
  /** Runs the "Open job" action. */
  openJob(id: string): void;
  /** What to do when a job is released, besides telling the user (e.g. open results). */
  onReleased?(id: string): void;
}

export function notifySubmitted(id: string, notifier: INotifier, trans: TranslationBundle): void {
  Notification.info(trans.__('Submitted sensitive run %1.', id), {
    autoClose: 5000,
    actions: [{ label: trans.__('Open job'), callback: () => notifier.openJob(id) }]
  });
}

/** Tells the user about the state changes that matter to them. */
export function notifyStateChange(
  change: IStateChange,
  notifier: INotifier,
  trans: TranslationBundle
): void {
  const { job } = change;
  const actions = [{ label: trans.__('Open job'), callback: () => notifier.openJob(job.id) }];
  if (job.state === 'released') {
    // Green only when everything asked for came back; otherwise say what did and what did not.
    const outcome = job.outcome;
    const message = outcome
      ? trans.__('Sensitive run %1: %2.', job.id, outcome.summary)
      : trans.__('Sensitive run %1 was released.', job.id);
    if (!outcome || outcome.tone === 'success') {
      Notification.success(message, { autoClose: 8000, actions });
    } else {
      Notification.warning(message, { autoClose: false, actions });
    }
    notifier.onReleased?.(job.id);
  } else if (failedStates.has(job.state)) {
    Notification.error(
      trans
        .__(
          'Sensitive run %1 ended: %2. %3',
          job.id,
          stateLabel(job.state, trans),
          job.reason ?? ''
        )
        .trim(),
      { autoClose: false, actions }
    );
  } else if (job.state === 'awaiting_review' && change.previous) {
    Notification.info(trans.__('Sensitive run %1 awaits an output checker.', job.id), {
      autoClose: 5000,
      actions
    });
  }
}
