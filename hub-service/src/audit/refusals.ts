// Refused requests, counted per caller and reason and written to the audit log once per window, so a
// flood of refusals (a fuzzer, a script with a wrong token) adds a few entries, not one per request.
import type { AuditLog } from './index.js';

interface ITally {
  actor: string;
  reason: string;
  count: number;
  first_at: string;
  last_at: string;
}

/** Callers tracked per window; beyond this, refusals are counted under one "others" entry. */
const maxKeys = 1000;

export class RefusalTally {
  private tallies = new Map<string, ITally>();
  private timer: NodeJS.Timeout;

  constructor(
    private audit: AuditLog,
    windowSeconds: number
  ) {
    this.timer = setInterval(() => this.flush(), windowSeconds * 1000);
    this.timer.unref();
  }

  /** Counts one refusal; `actor` is the user, or "anonymous <address>" for a caller with no valid token. */
  count(actor: string, reason: string): void {
    let key = `${actor}\n${reason}`;
    if (!this.tallies.has(key) && this.tallies.size >= maxKeys) {
      actor = 'others';
      key = `${actor}\n${reason}`;
    }
    const now = new Date().toISOString();
    const tally = this.tallies.get(key);
    if (tally) {
      tally.count++;
      tally.last_at = now;
    } else {
      this.tallies.set(key, { actor, reason, count: 1, first_at: now, last_at: now });
    }
  }

  /** Writes one `request.refused` entry per caller and reason seen since the last flush. */
  flush(): void {
    const tallies = [...this.tallies.values()];
    this.tallies.clear();
    for (const t of tallies) {
      this.audit.record(t.actor, 'request.refused', undefined, {
        code: t.reason,
        count: t.count,
        first_at: t.first_at,
        last_at: t.last_at
      });
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
