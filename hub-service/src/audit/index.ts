// The hash-chained audit log: every state change and API action, verifiable end to end.
import { createHash } from 'node:crypto';
import type { AuditEntry } from '../schema/index.js';
import type { IStore, NewAuditEntry } from '../store/index.js';

/** JSON with sorted keys, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sealAudit(entry: NewAuditEntry, seq: number, prevHash: string): string {
  const body = canonicalJson({
    seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    job_id: entry.job_id ?? null,
    detail: entry.detail ?? {}
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

export class AuditLog {
  constructor(private store: IStore) {}

  record(
    actor: string,
    action: string,
    jobId?: string,
    detail: Record<string, unknown> = {}
  ): AuditEntry {
    const entry: NewAuditEntry = { at: new Date().toISOString(), actor, action, detail };
    if (jobId) {
      entry.job_id = jobId;
    }
    return this.store.appendAudit(entry, sealAudit);
  }
}

export interface IAuditVerdict {
  ok: boolean;
  entries: number;
  problems: string[];
}

/** Recomputes the chain; names each entry that was edited, removed or moved. */
export function verifyAudit(entries: AuditEntry[]): IAuditVerdict {
  const problems: string[] = [];
  let prevHash = '0'.repeat(64);
  let expectedSeq = 1;
  for (const e of entries) {
    if (e.seq !== expectedSeq) {
      problems.push(
        `entry ${expectedSeq} is missing or out of order (found entry ${e.seq} in its place)`
      );
    }
    if (e.prev_hash !== prevHash) {
      problems.push(
        `entry ${e.seq} (${e.action}) does not follow the entry before it: one was removed, inserted or reordered`
      );
    }
    if (sealAudit(e, e.seq, e.prev_hash) !== e.hash) {
      problems.push(
        `entry ${e.seq} (${e.action}) was edited after it was written: its hash does not match its content`
      );
    }
    prevHash = e.hash;
    expectedSeq = e.seq + 1;
  }
  return { ok: problems.length === 0, entries: entries.length, problems };
}
