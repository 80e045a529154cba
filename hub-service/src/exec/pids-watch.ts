// Watches a running sandbox's pids cgroup from the host: the first fork the limit refuses ends the run at
// once ("process limit reached"), instead of a fork bomb running until the wall-clock limit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const cgroupRoot = '/sys/fs/cgroup';

/** The pids.events file of the cgroup process `pid` is in (cgroup v1 pids controller, or v2), if readable. */
export function pidsEventsFile(pid: number, root = cgroupRoot, proc = '/proc'): string | undefined {
  let lines: string[];
  try {
    lines = readFileSync(join(proc, String(pid), 'cgroup'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const v1 = lines.find(l => l.split(':')[1]?.split(',').includes('pids'));
  const v2 = lines.find(l => l.startsWith('0::'));
  const candidates = [
    ...(v1 ? [join(root, 'pids', v1.split(':').slice(2).join(':'), 'pids.events')] : []),
    ...(v2 ? [join(root, v2.slice(3), 'pids.events')] : [])
  ];
  return candidates.find(file => maxEvents(file) !== undefined);
}

/** How many forks the pids limit refused (the `max` line of pids.events), or undefined when unreadable. */
export function maxEvents(file: string): number | undefined {
  try {
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find(l => l.startsWith('max '));
    return line ? Number(line.slice(4)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Polls the sandbox's pids.events and calls `onLimit` once when the limit refused a fork. Returns a stop
 * function; without a readable cgroup (another host's engine) it does nothing and the runner's final
 * report still says whether the limit was hit.
 */
export function watchPidsLimit(pid: number, onLimit: () => void, everyMs = 200): () => void {
  const file = pid > 0 ? pidsEventsFile(pid) : undefined;
  if (!file) {
    return () => undefined;
  }
  const timer = setInterval(() => {
    if ((maxEvents(file) ?? 0) > 0) {
      clearInterval(timer);
      onLimit();
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
