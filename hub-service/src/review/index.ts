// The release policy: auto releases what passed every check; review holds everything for output checkers.
import type { Artifact, JobState } from '../schema/index.js';

export type ReleasePolicy = 'auto' | 'review';

export function applyPolicy(
  policy: ReleasePolicy,
  artifacts: Artifact[]
): { state: JobState; artifacts: Artifact[] } {
  if (policy === 'review') {
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
