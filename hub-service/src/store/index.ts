// The Store interface: jobs, their append-only events, artifacts and the audit chain. Chosen in service.ts.
import type {
  Artifact,
  AuditEntry,
  JobEvent,
  JobManifest,
  JobState,
  ReleasePolicy,
  Review,
  ReviewRequest
} from '../schema/index.js';

export interface IJobRecord {
  id: string;
  owner: string;
  created_at: string;
  manifest: JobManifest;
  bundle_sha256?: string;
}

export interface IJobStatus {
  state: JobState;
  reason?: string;
  updated_at: string;
}

export type NewEvent = Omit<JobEvent, 'seq'>;
export type NewReview = Omit<Review, 'seq'>;
export type NewReviewRequest = Omit<ReviewRequest, 'seq'>;
export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'prev_hash' | 'hash'>;

export interface IStore {
  /** Stores a new job with its first event (queued). */
  createJob(job: IJobRecord): JobEvent;
  job(id: string): IJobRecord | undefined;
  /** Jobs newest first, only one owner's when given. */
  jobs(owner?: string): IJobRecord[];
  setBundle(id: string, sha256: string): void;
  /** Appends an event; a state event that would move the job backwards is refused (undefined). */
  appendEvent(event: NewEvent): JobEvent | undefined;
  events(id: string, afterSeq?: number): JobEvent[];
  status(id: string): IJobStatus | undefined;
  /** Jobs whose current state is one of these. */
  jobsInStates(states: JobState[]): IJobRecord[];
  saveArtifacts(id: string, artifacts: Artifact[]): void;
  artifacts(id: string): Artifact[];
  /** Records the policy a job entered checking with; an earlier record wins. Returns the one in force. */
  recordPolicy(id: string, policy: ReleasePolicy): ReleasePolicy;
  policy(id: string): ReleasePolicy | undefined;
  /** Appends a checker's review; reviews are never edited (a later one supersedes, both are kept). */
  addReview(review: NewReview): Review;
  /** A job's reviews, oldest first. */
  reviews(id: string): Review[];
  /** Appends an author's request for an output checker (auto policy); never edited. */
  addReviewRequest(request: NewReviewRequest): ReviewRequest;
  /** A job's review requests, oldest first. */
  reviewRequests(id: string): ReviewRequest[];
  /** Jobs with at least one review request, oldest first. */
  jobsWithReviewRequests(): IJobRecord[];
  /** Appends to the audit chain; `seal` computes the hash from the previous link. */
  appendAudit(
    entry: NewAuditEntry,
    seal: (entry: NewAuditEntry, seq: number, prevHash: string) => string
  ): AuditEntry;
  audit(): AuditEntry[];
  ping(): void;
  close(): void;
}

export { SqliteStore } from './sqlite.js';
