// Job states in words for people, translated.
import type { TranslationBundle } from '@jupyterlab/translation';
import type { JobState } from './request';

export function stateLabel(state: JobState, trans: TranslationBundle): string {
  const labels: Record<JobState, string> = {
    queued: trans.__('queued'),
    archived: trans.__('archived'),
    building: trans.__('building'),
    staging: trans.__('staging data'),
    running: trans.__('running'),
    checking: trans.__('checking outputs'),
    awaiting_review: trans.__('awaiting review'),
    released: trans.__('released'),
    rejected: trans.__('rejected'),
    build_failed: trans.__('build failed'),
    run_failed: trans.__('run failed'),
    preflight_failed: trans.__('preflight failed'),
    canceled: trans.__('canceled'),
    system_error: trans.__('system error')
  };
  return labels[state] ?? state;
}

/** Ended without anything released: the notification says so with the reason. */
export const failedStates: ReadonlySet<JobState> = new Set<JobState>([
  'rejected',
  'build_failed',
  'run_failed',
  'preflight_failed',
  'system_error'
]);
