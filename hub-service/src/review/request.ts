// "Ask for a checker": under auto, the author sends outputs withheld for review to the checkers' queue;
// from then on those outputs follow the one rules (one checker, never the author, decides each).
import { HBrokerError, badRequest } from '../errors.js';
import type { JobJournal } from '../jobs/journal.js';
import { openRequests } from '../jobs/outcome.js';
import {
  validate,
  type Artifact,
  type ReviewRequest,
  type ReviewRequestSubmission
} from '../schema/index.js';
import type { IJobRecord, IStore } from '../store/index.js';

/** Why this artifact cannot be sent to a checker, or undefined when it can. */
function refusal(
  path: string,
  artifact: Artifact | undefined,
  asked: Set<string>,
  rejected: Set<string>
): string | undefined {
  if (!artifact) {
    return `"${path}" is not an output of this job`;
  }
  if (artifact.status === 'released') {
    return `"${path}" is already released`;
  }
  if (asked.has(path)) {
    return `"${path}" was already sent to a checker`;
  }
  if (rejected.has(path)) {
    return `an output checker already rejected "${path}"`;
  }
  if (artifact.findings.some(f => f.verdict === 'fail')) {
    return `"${path}" failed an automatic check, which a checker cannot overrule: change the notebook as its findings advise and submit again`;
  }
  return undefined;
}

/** Stores the author's request after checking each output may be asked about. */
export function askForChecker(
  journal: JobJournal,
  record: IJobRecord,
  user: string,
  body: unknown
): ReviewRequest {
  const { store } = journal;
  if (record.owner !== user) {
    throw new HBrokerError(
      'not_author',
      `Only the author of job ${record.id} can ask an output checker to review its outputs.`,
      403
    );
  }
  const submission = validate<ReviewRequestSubmission>(
    'review-request-submission.schema.json',
    body,
    'review request',
    { defaults: true }
  );
  const state = journal.state(record.id);
  const policy = store.policy(record.id);
  if (state !== 'released' || policy !== 'auto') {
    throw new HBrokerError(
      'not_withheld_for_review',
      state === 'awaiting_review'
        ? `Job ${record.id} already waits for an output checker; nothing needs asking.`
        : `Job ${record.id} is ${state}${policy ? ` under the ${policy} policy` : ''}; only a job the auto policy released can have withheld outputs sent to a checker.`,
      409
    );
  }
  const artifacts = store.artifacts(record.id);
  const asked = new Set(store.reviewRequests(record.id).flatMap(q => q.paths));
  const rejected = new Set(
    store
      .reviews(record.id)
      .flatMap(r => r.decisions ?? [])
      .filter(d => d.decision === 'reject')
      .map(d => d.path)
  );
  const problems = submission.paths
    .map(p =>
      refusal(
        p,
        artifacts.find(a => a.path === p),
        asked,
        rejected
      )
    )
    .filter((p): p is string => p !== undefined);
  if (problems.length > 0) {
    throw new HBrokerError(
      'cannot_ask_checker',
      `These outputs cannot be sent to an output checker: ${problems.join('; ')}. Ask only about outputs withheld for review (see the job's outcome).`,
      409,
      problems
    );
  }
  const reviews = store.reviews(record.id);
  const request = store.addReviewRequest({
    job_id: record.id,
    requested_by: user,
    at: new Date().toISOString(),
    paths: submission.paths,
    note: submission.note ?? '',
    after_review: reviews.length ? reviews[reviews.length - 1].seq : 0
  });
  // The note stays in the request, not in the audit log: it may quote an output.
  journal.audit.record(user, 'review.request', record.id, {
    seq: request.seq,
    paths: request.paths,
    noted: request.note.length > 0
  });
  return request;
}

/** The paths of a job that its author's open requests put before a checker (none when none). */
export function requestedPaths(store: IStore, jobId: string): string[] {
  return openRequests(store.reviewRequests(jobId), store.reviews(jobId)).flatMap(q => q.paths);
}

/** The open request shown to checkers with the job, the latest first. */
export function openRequest(store: IStore, jobId: string): ReviewRequest | undefined {
  return openRequests(store.reviewRequests(jobId), store.reviews(jobId)).pop();
}

export const refuseReturn = (jobId: string) =>
  badRequest(
    'invalid_input',
    `Job ${jobId} was released under the auto policy and its author asked about some withheld outputs: approve or reject each of those; it cannot be returned.`
  );
