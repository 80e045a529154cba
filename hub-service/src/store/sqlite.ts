// The embedded Store: one SQLite file (better-sqlite3), events and audit append-only by trigger.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  Artifact,
  AuditEntry,
  JobEvent,
  JobState,
  ReleasePolicy,
  Review,
  ReviewRequest
} from '../schema/index.js';
import { canTransition, deriveState } from '../jobs/states.js';
import type {
  IJobRecord,
  IJobStatus,
  IStore,
  NewAuditEntry,
  NewEvent,
  NewReview,
  NewReviewRequest
} from './index.js';

const schemaSql = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY, owner TEXT NOT NULL, created_at TEXT NOT NULL,
  manifest TEXT NOT NULL, bundle_sha256 TEXT);
CREATE TABLE IF NOT EXISTS events (
  job_id TEXT NOT NULL REFERENCES jobs(id), seq INTEGER NOT NULL, at TEXT NOT NULL,
  type TEXT NOT NULL, state TEXT, reason TEXT, cell INTEGER, cells INTEGER, line TEXT,
  PRIMARY KEY (job_id, seq));
CREATE TABLE IF NOT EXISTS artifacts (
  job_id TEXT NOT NULL REFERENCES jobs(id), path TEXT NOT NULL, kind TEXT NOT NULL,
  size INTEGER NOT NULL, sha256 TEXT NOT NULL, status TEXT NOT NULL, findings TEXT NOT NULL,
  PRIMARY KEY (job_id, path));
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  job_id TEXT, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS job_policies (
  job_id TEXT PRIMARY KEY REFERENCES jobs(id), policy TEXT NOT NULL, at TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS job_policies_fixed_u BEFORE UPDATE ON job_policies
  BEGIN SELECT RAISE(ABORT, 'a job keeps the release policy it entered checking with'); END;
CREATE TABLE IF NOT EXISTS reviews (
  job_id TEXT NOT NULL REFERENCES jobs(id), seq INTEGER NOT NULL, reviewer TEXT NOT NULL,
  at TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (job_id, seq));
CREATE TRIGGER IF NOT EXISTS reviews_append_only_u BEFORE UPDATE ON reviews
  BEGIN SELECT RAISE(ABORT, 'reviews are append-only: a new review supersedes an earlier one'); END;
CREATE TRIGGER IF NOT EXISTS reviews_append_only_d BEFORE DELETE ON reviews
  BEGIN SELECT RAISE(ABORT, 'reviews are append-only: a new review supersedes an earlier one'); END;
CREATE TABLE IF NOT EXISTS review_requests (
  job_id TEXT NOT NULL REFERENCES jobs(id), seq INTEGER NOT NULL, requested_by TEXT NOT NULL,
  at TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (job_id, seq));
CREATE TRIGGER IF NOT EXISTS review_requests_append_only_u BEFORE UPDATE ON review_requests
  BEGIN SELECT RAISE(ABORT, 'review requests are append-only'); END;
CREATE TRIGGER IF NOT EXISTS review_requests_append_only_d BEFORE DELETE ON review_requests
  BEGIN SELECT RAISE(ABORT, 'review requests are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_append_only_u BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_append_only_d BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_append_only_u BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_append_only_d BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

const genesis = '0'.repeat(64);

interface IEventRow {
  job_id: string;
  seq: number;
  at: string;
  type: JobEvent['type'];
  state: JobState | null;
  reason: string | null;
  cell: number | null;
  cells: number | null;
  line?: string | null;
}

function eventFromRow(r: IEventRow): JobEvent {
  const e: JobEvent = { job_id: r.job_id, seq: r.seq, at: r.at, type: r.type };
  if (r.state !== null) {
    e.state = r.state;
  }
  if (r.reason !== null) {
    e.reason = r.reason;
  }
  if (r.cell !== null) {
    e.cell = r.cell;
  }
  if (r.cells !== null) {
    e.cells = r.cells;
  }
  if (r.line !== null && r.line !== undefined) {
    e.line = r.line;
  }
  return e;
}

function jobFromRow(r: any): IJobRecord {
  const job: IJobRecord = {
    id: r.id,
    owner: r.owner,
    created_at: r.created_at,
    manifest: JSON.parse(r.manifest)
  };
  if (r.bundle_sha256) {
    job.bundle_sha256 = r.bundle_sha256;
  }
  return job;
}

export class SqliteStore implements IStore {
  private db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    }
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(schemaSql);
    // Stores made before cell-output artifacts lack the column.
    const artifactColumns = this.db.prepare('PRAGMA table_info(artifacts)').all() as {
      name: string;
    }[];
    if (!artifactColumns.some(c => c.name === 'cell_output')) {
      this.db.exec('ALTER TABLE artifacts ADD COLUMN cell_output TEXT');
    }
    // Stores made before build logs lack the column.
    const columns = this.db.prepare('PRAGMA table_info(events)').all() as { name: string }[];
    if (!columns.some(c => c.name === 'line')) {
      this.db.exec('ALTER TABLE events ADD COLUMN line TEXT');
    }
  }

  createJob(job: IJobRecord): JobEvent {
    return this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO jobs (id, owner, created_at, manifest) VALUES (?, ?, ?, ?)')
        .run(job.id, job.owner, job.created_at, JSON.stringify(job.manifest));
      return this.insertEvent({
        job_id: job.id,
        at: job.created_at,
        type: 'state',
        state: 'queued'
      });
    })();
  }

  job(id: string): IJobRecord | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id);
    return row ? jobFromRow(row) : undefined;
  }

  jobs(owner?: string): IJobRecord[] {
    const rows = owner
      ? this.db
          .prepare('SELECT * FROM jobs WHERE owner = ? ORDER BY created_at DESC, id')
          .all(owner)
      : this.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, id').all();
    return rows.map(jobFromRow);
  }

  setBundle(id: string, sha256: string): void {
    this.db.prepare('UPDATE jobs SET bundle_sha256 = ? WHERE id = ?').run(sha256, id);
  }

  appendEvent(event: NewEvent): JobEvent | undefined {
    return this.db
      .transaction(() => {
        const current = this.status(event.job_id);
        if (!current) {
          return undefined;
        }
        if (event.type === 'state' && !canTransition(current.state, event.state!)) {
          return undefined;
        }
        if (event.type === 'progress' && current.state !== 'running') {
          return undefined;
        }
        if (event.type === 'preflight' && current.state !== 'staging') {
          return undefined;
        }
        if (event.type === 'build_log' && current.state !== 'building') {
          return undefined;
        }
        return this.insertEvent(event);
      })
      .immediate();
  }

  private insertEvent(event: NewEvent): JobEvent {
    const { next } = this.db
      .prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM events WHERE job_id = ?')
      .get(event.job_id) as { next: number };
    this.db
      .prepare(
        'INSERT INTO events (job_id, seq, at, type, state, reason, cell, cells, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'
      )
      .run(
        event.job_id,
        next,
        event.at,
        event.type,
        event.state ?? null,
        event.reason ?? null,
        event.cell ?? null,
        event.cells ?? null,
        event.line ?? null
      );
    return { ...event, seq: next };
  }

  events(id: string, afterSeq = 0): JobEvent[] {
    const rows = this.db
      .prepare('SELECT * FROM events WHERE job_id = ? AND seq > ? ORDER BY seq')
      .all(id, afterSeq) as IEventRow[];
    return rows.map(eventFromRow);
  }

  status(id: string): IJobStatus | undefined {
    const states = this.db
      .prepare("SELECT * FROM events WHERE job_id = ? AND type = 'state' ORDER BY seq")
      .all(id) as IEventRow[];
    if (states.length === 0) {
      return undefined;
    }
    const last = this.db
      .prepare('SELECT at FROM events WHERE job_id = ? ORDER BY seq DESC LIMIT 1')
      .get(id) as { at: string };
    return { ...deriveState(states.map(eventFromRow)), updated_at: last.at };
  }

  jobsInStates(states: JobState[]): IJobRecord[] {
    const placeholders = states.map(() => '?').join(',');
    const rows = this.db
      .prepare(
        `SELECT j.* FROM jobs j JOIN events e ON e.job_id = j.id
         WHERE e.seq = (SELECT MAX(seq) FROM events WHERE job_id = j.id AND type = 'state')
           AND e.state IN (${placeholders}) ORDER BY j.created_at`
      )
      .all(...states);
    return rows.map(jobFromRow);
  }

  saveArtifacts(id: string, artifacts: Artifact[]): void {
    const put = this.db.prepare(
      `INSERT OR REPLACE INTO artifacts (job_id, path, kind, size, sha256, status, findings, cell_output)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
    );
    this.db.transaction(() => {
      for (const a of artifacts) {
        put.run(
          id,
          a.path,
          a.kind,
          a.size,
          a.sha256,
          a.status,
          JSON.stringify(a.findings),
          a.cell_output ? JSON.stringify(a.cell_output) : null
        );
      }
    })();
  }

  artifacts(id: string): Artifact[] {
    const rows = this.db
      .prepare('SELECT * FROM artifacts WHERE job_id = ? ORDER BY path')
      .all(id) as any[];
    return rows.map(r => ({
      path: r.path,
      kind: r.kind,
      ...(r.cell_output ? { cell_output: JSON.parse(r.cell_output) } : {}),
      size: r.size,
      sha256: r.sha256,
      status: r.status,
      findings: JSON.parse(r.findings)
    }));
  }

  recordPolicy(id: string, policy: ReleasePolicy): ReleasePolicy {
    // The first record wins: re-vetting after a restart keeps the policy the job entered checking with.
    this.db
      .prepare('INSERT OR IGNORE INTO job_policies (job_id, policy, at) VALUES (?, ?, ?)')
      .run(id, policy, new Date().toISOString());
    return this.policy(id)!;
  }

  policy(id: string): ReleasePolicy | undefined {
    const row = this.db.prepare('SELECT policy FROM job_policies WHERE job_id = ?').get(id) as
      { policy: ReleasePolicy } | undefined;
    return row?.policy;
  }

  addReview(review: NewReview): Review {
    return this.db
      .transaction(() => {
        const { next } = this.db
          .prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM reviews WHERE job_id = ?')
          .get(review.job_id) as { next: number };
        const { job_id, reviewer, at, ...body } = review;
        this.db
          .prepare('INSERT INTO reviews (job_id, seq, reviewer, at, body) VALUES (?, ?, ?, ?, ?)')
          .run(job_id, next, reviewer, at, JSON.stringify(body));
        return { job_id, seq: next, reviewer, at, ...body };
      })
      .immediate();
  }

  addReviewRequest(request: NewReviewRequest): ReviewRequest {
    return this.db
      .transaction(() => {
        const { next } = this.db
          .prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM review_requests WHERE job_id = ?')
          .get(request.job_id) as { next: number };
        const { job_id, requested_by, at, ...body } = request;
        this.db
          .prepare(
            'INSERT INTO review_requests (job_id, seq, requested_by, at, body) VALUES (?, ?, ?, ?, ?)'
          )
          .run(job_id, next, requested_by, at, JSON.stringify(body));
        return { job_id, seq: next, requested_by, at, ...body };
      })
      .immediate();
  }

  reviewRequests(id: string): ReviewRequest[] {
    const rows = this.db
      .prepare('SELECT * FROM review_requests WHERE job_id = ? ORDER BY seq')
      .all(id) as { job_id: string; seq: number; requested_by: string; at: string; body: string }[];
    return rows.map(r => ({
      job_id: r.job_id,
      seq: r.seq,
      requested_by: r.requested_by,
      at: r.at,
      ...JSON.parse(r.body)
    }));
  }

  jobsWithReviewRequests(): IJobRecord[] {
    const rows = this.db
      .prepare(
        'SELECT * FROM jobs WHERE id IN (SELECT DISTINCT job_id FROM review_requests) ORDER BY created_at'
      )
      .all();
    return rows.map(jobFromRow);
  }

  reviews(id: string): Review[] {
    const rows = this.db.prepare('SELECT * FROM reviews WHERE job_id = ? ORDER BY seq').all(id) as {
      job_id: string;
      seq: number;
      reviewer: string;
      at: string;
      body: string;
    }[];
    return rows.map(r => ({
      job_id: r.job_id,
      seq: r.seq,
      reviewer: r.reviewer,
      at: r.at,
      ...JSON.parse(r.body)
    }));
  }

  appendAudit(
    entry: NewAuditEntry,
    seal: (entry: NewAuditEntry, seq: number, prevHash: string) => string
  ): AuditEntry {
    return this.db
      .transaction(() => {
        const last = this.db
          .prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')
          .get() as { seq: number; hash: string } | undefined;
        const seq = (last?.seq ?? 0) + 1;
        const prevHash = last?.hash ?? genesis;
        const hash = seal(entry, seq, prevHash);
        this.db
          .prepare(
            'INSERT INTO audit (seq, at, actor, action, job_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
          )
          .run(
            seq,
            entry.at,
            entry.actor,
            entry.action,
            entry.job_id ?? null,
            JSON.stringify(entry.detail ?? {}),
            prevHash,
            hash
          );
        return { ...entry, seq, prev_hash: prevHash, hash };
      })
      .immediate();
  }

  audit(): AuditEntry[] {
    const rows = this.db.prepare('SELECT * FROM audit ORDER BY seq').all() as any[];
    return rows.map(r => {
      const e: AuditEntry = {
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        detail: JSON.parse(r.detail ?? '{}'),
        prev_hash: r.prev_hash,
        hash: r.hash
      };
      if (r.job_id !== null) {
        e.job_id = r.job_id;
      }
      return e;
    });
  }

  ping(): void {
    this.db.prepare('SELECT 1').get();
  }

  close(): void {
    this.db.close();
  }
}
