// What checkers' reviews decide: which artifacts leave, and whether the job is released, rejected or returned.
import type { Artifact, Review, ReviewFeedback } from '../schema/index.js';
import { requiredReviewers, type JobPolicy } from './policy.js';

export interface IReviewOutcome {
  /** False while fewer checkers than the policy needs have submitted. */
  decided: boolean;
  state?: 'released' | 'rejected';
  /** Why, in words the author reads on the job (also on a release that withheld something). */
  reason?: string;
  /** The job's artifacts with their final status, once decided. */
  artifacts: Artifact[];
  /** Artifacts one checker approved and another rejected: they stay withheld. */
  disagreed: string[];
  returned: boolean;
}

/** Each checker's latest review (a later submission supersedes their earlier one), in order of first submission. */
export function latestReviews(reviews: Review[]): Review[] {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    latest.set(r.reviewer, r);
  }
  return [...latest.values()];
}

const quoted = (items: string[]) => items.map(i => `"${i}"`).join(', ');

export function decide(
  policy: JobPolicy,
  artifacts: Artifact[],
  reviews: Review[]
): IReviewOutcome {
  const counted = latestReviews(reviews);
  const undecided: IReviewOutcome = { decided: false, artifacts, disagreed: [], returned: false };
  if (counted.length < requiredReviewers(policy)) {
    return undecided;
  }
  const withheld = artifacts.map(a => ({ ...a, status: 'withheld' as const }));
  // Any checker asking for changes sends the whole job back: nothing leaves a job that is to be redone.
  const returns = counted.filter(r => r.return);
  if (returns.length > 0) {
    return {
      decided: true,
      state: 'rejected',
      reason: `Returned to the author with requested changes: ${returns.map(r => r.return!.changes).join(' / ')}`,
      artifacts: withheld,
      disagreed: [],
      returned: true
    };
  }
  const disagreed: string[] = [];
  const decided = artifacts.map(a => {
    const verdicts = counted.map(r => r.decisions?.find(d => d.path === a.path)?.decision);
    const approved = verdicts.every(v => v === 'approve');
    if (!approved && verdicts.includes('approve')) {
      disagreed.push(a.path);
    }
    return { ...a, status: approved ? ('released' as const) : ('withheld' as const) };
  });
  const released = decided.filter(a => a.status === 'released').length;
  const disagreement = disagreed.length
    ? ` Checkers disagreed on ${quoted(disagreed)}, so ${disagreed.length > 1 ? 'they stay' : 'it stays'} withheld.`
    : '';
  if (released === 0) {
    return {
      decided: true,
      state: 'rejected',
      reason: `Output checking approved none of the ${artifacts.length} outputs.${disagreement}`,
      artifacts: decided,
      disagreed,
      returned: false
    };
  }
  return {
    decided: true,
    state: 'released',
    ...(released < artifacts.length
      ? {
          reason: `${released} of ${artifacts.length} outputs released; the rest were not approved.${disagreement}`
        }
      : {}),
    artifacts: decided,
    disagreed,
    returned: false
  };
}

/** What the author sees once the job is decided: outcome, requested changes, comments meant for them. */
export function feedbackFor(
  outcome: 'released' | 'rejected',
  reviews: Review[]
): ReviewFeedback | undefined {
  const counted = latestReviews(reviews);
  if (counted.length === 0) {
    return undefined;
  }
  const requested = counted.filter(r => r.return).map(r => r.return!.changes);
  return {
    outcome: requested.length > 0 ? 'returned' : outcome,
    requested_changes: requested,
    comments: counted.flatMap(r =>
      (r.decisions ?? [])
        .filter(d => d.visibility === 'author' && d.comment)
        .map(d => ({ path: d.path, decision: d.decision, comment: d.comment! }))
    )
  };
}
