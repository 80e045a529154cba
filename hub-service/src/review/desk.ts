// The output checker's side of a job: the queue, what a checker may see, previews, and submitting reviews.
import { HBrokerError, badRequest, notFound } from '../errors.js';
import type { JobJournal } from '../jobs/journal.js';
import { jobView } from '../jobs/view.js';
import {
  validate,
  type Artifact,
  type Review,
  type ReviewQueue,
  type ReviewSubmission,
  type ReviewView
} from '../schema/index.js';
import type { IJobRecord } from '../store/index.js';
import { servedArtifact, type Served } from '../vetting/index.js';
import { decide } from './decide.js';
import { jobPolicy, requiredReviewers, type JobPolicy } from './policy.js';
import { needsPreview } from './triage.js';
import { openRequest, refuseReturn, requestedPaths } from './request.js';

export class ReviewDesk {
  constructor(
    private journal: JobJournal,
    /** Where a job's collected outputs are kept (the pipeline's quarantine folder). */
    private outputDir: (jobId: string) => string
  ) {}

  /** Jobs awaiting review that this checker may review: never their own. */
  queue(user: string): ReviewQueue {
    const { store } = this.journal;
    // Jobs held for review, then released jobs whose authors asked a checker about withheld outputs.
    const asked = store
      .jobsWithReviewRequests()
      .filter(r => this.journal.state(r.id) === 'released' && requestedPaths(store, r.id).length);
    return {
      jobs: [...store.jobsInStates(['awaiting_review']), ...asked]
        .filter(r => r.owner !== user)
        .map(r => {
          const artifacts = this.underReview(r.id);
          const request = openRequest(store, r.id);
          return {
            id: r.id,
            owner: r.owner,
            created_at: r.created_at,
            study: r.manifest.study,
            notebook: r.manifest.notebook,
            ...(r.manifest.justification ? { justification: r.manifest.justification } : {}),
            release_policy: this.policyOf(r.id),
            artifacts: artifacts.length,
            flagged: artifacts.filter(a => a.findings.some(f => f.verdict !== 'pass')).length,
            reviewed_by_you: store.reviews(r.id).some(v => v.reviewer === user),
            ...(request ? { review_request: request } : {})
          };
        })
    };
  }

  /** The job as this checker may see it; other checkers' reviews only once the job is decided. */
  view(jobId: string, user: string): ReviewView {
    const record = this.reviewable(jobId, user);
    const { store } = this.journal;
    const waiting = this.journal.state(record.id) === 'awaiting_review';
    const reviews = store.reviews(record.id);
    const request = waiting ? undefined : openRequest(store, record.id);
    // An author's request follows the one rules; the checker decides only the outputs asked about.
    const required = request ? 1 : requiredReviewers(this.policyOf(record.id));
    const job = jobView(store, record, 'all');
    if (request) {
      job.artifacts = this.underReview(record.id);
    }
    return {
      job,
      required_reviewers: required,
      blinded: waiting && required > 1,
      yours: reviews.filter(r => r.reviewer === user),
      others: waiting ? [] : reviews.filter(r => r.reviewer !== user),
      ...(request ? { review_request: request } : {})
    };
  }

  /** An artifact's content for a checker while the job awaits review; every view is audited. */
  preview(jobId: string, path: string, user: string): { artifact: Artifact; served: Served } {
    const record = this.reviewable(jobId, user);
    // Once decided, what was not released is shown to no one, checkers included.
    const state = this.journal.state(record.id);
    const asked = requestedPaths(this.journal.store, record.id);
    if (state !== 'awaiting_review' && !asked.includes(path)) {
      throw notFound(
        `Job ${record.id} is decided (${state}); its outputs are no longer shown for review. Released ones are listed at GET /api/v1/jobs/${record.id}/outputs.`
      );
    }
    const artifacts = this.journal.store.artifacts(record.id);
    const artifact = artifacts.find(a => a.path === path);
    // Checkers see the whole notebook: nothing is stripped for them.
    const asChecker = (a: Artifact): Artifact => ({ ...a, status: 'released' });
    const served =
      artifact &&
      servedArtifact(this.outputDir(record.id), asChecker(artifact), artifacts.map(asChecker));
    if (
      artifact &&
      !served &&
      artifact.findings.some(f => f.check === 'release' && f.verdict === 'fail')
    ) {
      throw new HBrokerError(
        'not_releasable',
        `"${path}" cannot be written again under its name (see its release finding), so release would never send it and there is nothing to preview. Reject it.`,
        409
      );
    }
    if (!artifact || !served) {
      throw notFound(
        `"${path}" is not a stored artifact of job ${record.id}. See the job's artifacts with GET /api/v1/jobs/${record.id}/review.`
      );
    }
    this.journal.audit.record(user, 'review.view', record.id, {
      path: artifact.path,
      sha256: artifact.sha256
    });
    return { artifact, served };
  }

  /**
   * An image or a log is approved only by a checker who previewed it (its current content): the
   * automatic checks cannot read what an image shows, and a log is whatever the code printed.
   */
  private checkLookedAt(
    decisions: NonNullable<ReviewSubmission['decisions']>,
    artifacts: Artifact[],
    jobId: string,
    user: string
  ): void {
    const seen = new Set(
      this.journal.store
        .audit()
        .filter(e => e.action === 'review.view' && e.job_id === jobId && e.actor === user)
        .map(e => e.detail as { path?: string; sha256?: string } | undefined)
        .map(d => `${d?.path}\u0000${d?.sha256}`)
    );
    const unseen = decisions
      .filter(d => d.decision === 'approve')
      .map(d => artifacts.find(a => a.path === d.path)!)
      .filter(a => needsPreview(a) && !seen.has(`${a.path}\u0000${a.sha256}`))
      .map(a => a.path);
    if (unseen.length) {
      throw badRequest(
        'not_looked_at',
        `Look at ${unseen.join(', ')} before approving: an image or a log is approved only by a checker who previewed it (GET /api/v1/jobs/${jobId}/review/artifacts/<path>), or reject it.`
      );
    }
  }

  /** Stores a checker's review and, once the policy's checkers are all in, decides the job. */
  submit(jobId: string, user: string, body: unknown): ReviewView {
    const record = this.reviewable(jobId, user);
    const { store, audit } = this.journal;
    const state = this.journal.state(record.id);
    if (state !== 'awaiting_review' && requestedPaths(store, record.id).length) {
      return this.answerRequest(record, user, body);
    }
    if (state !== 'awaiting_review') {
      throw new HBrokerError(
        'review_closed',
        `Job ${record.id} is already decided (${state}); its reviews are closed.`,
        409
      );
    }
    const submission = validate<ReviewSubmission>('review-submission.schema.json', body, 'review', {
      defaults: true
    });
    const artifacts = store.artifacts(record.id);
    if (submission.decisions) {
      checkCoversEveryArtifact(submission.decisions, artifacts, record.id);
      this.checkLookedAt(submission.decisions, artifacts, record.id, user);
    }
    const policy = this.policyOf(record.id);
    const review = store.addReview({
      job_id: record.id,
      reviewer: user,
      at: new Date().toISOString(),
      ...(submission.decisions
        ? { decisions: submission.decisions }
        : { return: { changes: submission.return!.changes } })
    });
    // The audit keeps every decision; comments stay in the review (they may quote an output).
    audit.record(user, 'review.submit', record.id, {
      seq: review.seq,
      policy,
      ...(review.decisions
        ? {
            decisions: review.decisions.map(d => ({
              path: d.path,
              decision: d.decision,
              visibility: d.visibility,
              commented: Boolean(d.comment)
            }))
          }
        : { returned: true })
    });
    this.close(record, policy, artifacts, store.reviews(record.id));
    return this.view(record.id, user);
  }

  /** The artifacts a checker decides: every one while the job awaits review, else those its author asked about. */
  private underReview(jobId: string): Artifact[] {
    const { store } = this.journal;
    const artifacts = store.artifacts(jobId);
    if (this.journal.state(jobId) === 'awaiting_review') {
      return artifacts;
    }
    const asked = new Set(requestedPaths(store, jobId));
    return artifacts.filter(a => asked.has(a.path));
  }

  /** A checker's answer to an author's request: decided at once under the one rules; the job stays released. */
  private answerRequest(record: IJobRecord, user: string, body: unknown): ReviewView {
    const { store, audit } = this.journal;
    const submission = validate<ReviewSubmission>('review-submission.schema.json', body, 'review', {
      defaults: true
    });
    if (!submission.decisions) {
      throw refuseReturn(record.id);
    }
    const asked = this.underReview(record.id);
    checkCoversEveryArtifact(submission.decisions, asked, record.id);
    const review = store.addReview({
      job_id: record.id,
      reviewer: user,
      at: new Date().toISOString(),
      decisions: submission.decisions
    });
    audit.record(user, 'review.submit', record.id, {
      seq: review.seq,
      policy: 'one',
      requested: true,
      decisions: submission.decisions.map(d => ({
        path: d.path,
        decision: d.decision,
        visibility: d.visibility,
        commented: Boolean(d.comment)
      }))
    });
    const outcome = decide('one', asked, [review]);
    const decided = new Map(outcome.artifacts.map(a => [a.path, a.status]));
    store.saveArtifacts(
      record.id,
      store.artifacts(record.id).map(a => ({ ...a, status: decided.get(a.path) ?? a.status }))
    );
    audit.record('hbroker', 'review.decided', record.id, {
      policy: 'one',
      requested: true,
      reviewers: [user],
      released: outcome.artifacts.filter(a => a.status === 'released').map(a => a.path),
      withheld: outcome.artifacts.filter(a => a.status !== 'released').map(a => a.path),
      disagreed: [],
      returned: false
    });
    return this.view(record.id, user);
  }

  private close(record: IJobRecord, policy: JobPolicy, artifacts: Artifact[], reviews: Review[]) {
    const outcome = decide(policy, artifacts, reviews);
    if (!outcome.decided) {
      return;
    }
    const { store, audit } = this.journal;
    store.saveArtifacts(record.id, outcome.artifacts);
    audit.record('hbroker', 'review.decided', record.id, {
      policy,
      reviewers: [...new Set(reviews.map(r => r.reviewer))],
      released: outcome.artifacts.filter(a => a.status === 'released').map(a => a.path),
      withheld: outcome.artifacts.filter(a => a.status !== 'released').map(a => a.path),
      disagreed: outcome.disagreed,
      returned: outcome.returned
    });
    this.journal.transition(record.id, outcome.state!, outcome.reason);
  }

  private policyOf(jobId: string): JobPolicy {
    // Jobs that entered checking before policies were recorded were held under `review`, i.e. one.
    return jobPolicy(this.journal.store.policy(jobId) ?? 'one');
  }

  /** The job, if this user may review it: it exists, went to review, and is not theirs. */
  private reviewable(jobId: string, user: string): IJobRecord {
    const record = this.journal.store.job(jobId);
    const state = record && this.journal.state(record.id);
    const reviewed =
      record &&
      (state === 'awaiting_review' ||
        this.journal.store.reviews(record.id).length > 0 ||
        requestedPaths(this.journal.store, record.id).length > 0);
    if (!record || !reviewed) {
      throw notFound(
        `There is no job ${jobId} awaiting review. See the jobs you may review with GET /api/v1/reviews.`
      );
    }
    if (record.owner === user) {
      throw new HBrokerError(
        'own_job',
        `You submitted job ${record.id}, and authors never review their own jobs; another output checker will review it.`,
        403
      );
    }
    return record;
  }
}

function checkCoversEveryArtifact(
  decisions: ReviewSubmission['decisions'] & object,
  artifacts: Artifact[],
  jobId: string
): void {
  const paths = new Set(artifacts.map(a => a.path));
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const d of decisions) {
    if (!paths.has(d.path)) {
      problems.push(`"${d.path}" is not an artifact of this job`);
    } else if (seen.has(d.path)) {
      problems.push(`"${d.path}" is decided more than once`);
    }
    seen.add(d.path);
  }
  for (const path of paths) {
    if (!seen.has(path)) {
      problems.push(`"${path}" has no decision`);
    }
  }
  if (problems.length > 0) {
    throw badRequest(
      'incomplete_review',
      `A review decides every artifact of job ${jobId} exactly once: ${problems.join('; ')}. Approve or reject each one, or return the job.`,
      problems
    );
  }
}
