// Latency of a running service seen from outside: requests sent at a steady pace, and a study large enough to load it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A study large enough that reading it in the service's main thread blocks it for seconds. */
export function writeLargeStudy(dir: string, rows: number): void {
  mkdirSync(dir, { recursive: true });
  const lines = ['patient_id,effective_time,heart_rate'];
  const two = (n: number) => String(n).padStart(2, '0');
  for (let i = 0; i < rows; i++) {
    lines.push(
      `p${String(i % 500).padStart(4, '0')},2026-${two(1 + (i % 12))}-${two(1 + (i % 28))}T${two(i % 24)}:${two(i % 60)}:00Z,${50 + ((i * 7) % 90)}`
    );
  }
  writeFileSync(join(dir, 'heart_rate.csv'), lines.join('\n') + '\n');
}

export interface ISample {
  sent: number;
  ms: number;
  status: number;
}

/** Asks every `everyMs` without waiting for the previous answer, as many clients would. */
export function sampler(url: string, path: string, token: string, everyMs = 25) {
  const samples: ISample[] = [];
  const pending = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const sent = Date.now();
    const started = performance.now();
    const p: Promise<void> = fetch(`${url}${path}`, {
      headers: { Authorization: `Bearer ${token}` }
    })
      .then(async r => {
        await r.arrayBuffer();
        samples.push({ sent, ms: performance.now() - started, status: r.status });
      })
      .catch(() => {
        samples.push({ sent, ms: performance.now() - started, status: 0 });
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  }, everyMs);
  return {
    samples,
    async stop(): Promise<ISample[]> {
      clearInterval(timer);
      await Promise.all(pending);
      return samples;
    }
  };
}

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
