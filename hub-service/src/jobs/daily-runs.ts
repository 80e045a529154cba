// The runs-per-day limit: how many sensitive runs one user may have on one study in any 24 hours.
import { HBrokerError } from '../errors.js';
import type { IStore } from '../store/index.js';
import { isTerminal } from './states.js';

const day = 24 * 60 * 60 * 1000;

/** Jobs that ended before they ran on the data (a failed build, canceled while queued) cost no run. */
function ranOrMayRun(store: IStore, id: string): boolean {
  const state = store.status(id)?.state;
  if (!state || !isTerminal(state)) {
    return true;
  }
  return store.events(id).some(e => e.type === 'state' && e.state === 'running');
}

/**
 * Refuses (429) a submission that would be the owner's (limit + 1)th run on this study in 24 hours, saying
 * when the next one is possible: each run's outcome and timing can tell its author a few bits of the data.
 */
export function checkRunsPerDay(
  store: IStore,
  owner: string,
  study: string,
  limit: number,
  now = new Date()
): void {
  const since = now.getTime() - day;
  const counted = store
    .jobs(owner)
    .filter(
      j =>
        j.manifest.study === study && Date.parse(j.created_at) > since && ranOrMayRun(store, j.id)
    )
    .map(j => Date.parse(j.created_at))
    .sort((a, b) => a - b);
  if (counted.length < limit) {
    return;
  }
  // The window frees a run when the oldest of the newest `limit` runs is 24 hours old.
  const next = new Date(counted[counted.length - limit] + day);
  throw new HBrokerError(
    'too_many_runs',
    `You have had ${counted.length} sensitive runs on study "${study}" in the last 24 hours, the most this service allows (limits.runs_per_day = ${limit}). Your next run is possible at ${next.toISOString().replace(/\.\d+Z$/, 'Z')} (UTC); until then, develop on the synthetic data.`,
    429
  );
}
