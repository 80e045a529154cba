// A job as the API shows it: the stored record, its derived state, progress and artifacts.
import { feedbackFor } from '../review/decide.js';
import type { Artifact, Job } from '../schema/index.js';
import type { IJobRecord, IStore } from '../store/index.js';
import { jobOutcome } from './outcome.js';

/** A name that failed the names check is data: whoever is not a checker sees a placeholder instead. */
function hideFailedNames(artifacts: Artifact[]): Artifact[] {
  let hidden = 0;
  return artifacts.map(a => {
    if (!a.findings.some(f => f.check === 'names' && f.verdict === 'fail')) {
      return a;
    }
    const path = `(name withheld ${++hidden})`;
    return {
      ...a,
      path,
      findings: a.findings.map(f =>
        f.location ? { ...f, location: { ...f.location, file: path } } : f
      )
    };
  });
}

/** `names: 'all'` shows even names that failed their check: for output checkers only. */
export function jobView(
  store: IStore,
  record: IJobRecord,
  names: 'all' | 'vetted' = 'vetted'
): Job {
  const status = store.status(record.id)!;
  const job: Job = {
    id: record.id,
    owner: record.owner,
    state: status.state,
    created_at: record.created_at,
    updated_at: status.updated_at,
    manifest: record.manifest,
    artifacts:
      names === 'all' ? store.artifacts(record.id) : hideFailedNames(store.artifacts(record.id))
  };
  if (status.reason) {
    job.reason = status.reason;
  }
  const policy = store.policy(record.id);
  if (policy) {
    job.release_policy = policy;
  }
  if (status.state === 'released' || status.state === 'rejected') {
    const feedback = feedbackFor(status.state, store.reviews(record.id));
    if (feedback) {
      job.feedback = feedback;
    }
  }
  const requests = store.reviewRequests(record.id);
  if (requests.length) {
    job.review_requests = requests;
  }
  const outcome = jobOutcome({
    state: status.state,
    manifest: record.manifest,
    artifacts: job.artifacts,
    reviews: store.reviews(record.id),
    reviewRequests: requests
  });
  if (outcome) {
    job.outcome = outcome;
  }
  if (record.bundle_sha256) {
    job.bundle_sha256 = record.bundle_sha256;
  }
  if (status.state === 'running') {
    const last = store
      .events(record.id)
      .filter(e => e.type === 'progress')
      .pop();
    if (last) {
      job.progress = { cell: last.cell ?? 0, cells: last.cells ?? 0 };
    }
  }
  return job;
}
