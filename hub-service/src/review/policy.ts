// Release policies: which are human-reviewed, how many checkers each needs, and what auto releases.
import type { Artifact, JobState, ReleasePolicy } from '../schema/index.js';

/** A policy as recorded on a job: `review` (the earlier name) is recorded as `one`. */
export type JobPolicy = Exclude<ReleasePolicy, 'review'>;

export function jobPolicy(policy: ReleasePolicy): JobPolicy {
  return policy === 'review' ? 'one' : policy;
}

/** How many checkers must approve an artifact before it leaves; 0 for auto. */
export function requiredReviewers(policy: JobPolicy): number {
  return policy === 'two' ? 2 : policy === 'one' ? 1 : 0;
}

/**
 * What vetting leads to: auto releases each artifact whose findings all pass and withholds the rest;
 * a human-review policy holds every artifact pending for output checkers.
 */
export function applyPolicy(
  policy: ReleasePolicy,
  artifacts: Artifact[]
): { state: JobState; artifacts: Artifact[] } {
  if (requiredReviewers(jobPolicy(policy)) > 0) {
    return { state: 'awaiting_review', artifacts };
  }
  return {
    state: 'released',
    artifacts: artifacts.map(a => ({
      ...a,
      status:
        a.findings.length > 0 && a.findings.every(f => f.verdict === 'pass')
          ? 'released'
          : 'withheld'
    }))
  };
}
