// After the hub has stopped: what it left behind (processes, sandboxes, its temporary folder), so
// the teardown can fail the run instead of leaking them into the next.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Processes started for this hub: they work in its folder, or inherited the hub's environment. */
function processesOf(hubDir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const environ = `\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`;
      if (cwd.startsWith(hubDir) || environ.includes(`\0HBROKER_TEST_HUB_DIR=${hubDir}\0`)) {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ');
        found.push(`process ${pid}: ${args.slice(0, 120)}`);
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Sandboxes of the hub's HBroker service, found by the instance label it puts on them. */
function sandboxesOf(stateDir: string): string[] {
  // The label's value as hub-service/src/service.ts derives it from the service's state folder.
  const instance = createHash('sha256').update(stateDir).digest('hex').slice(0, 12);
  const ids = execFileSync(
    'docker',
    ['ps', '-aq', '--filter', `label=org.hbroker.instance=${instance}`],
    { encoding: 'utf8' }
  ).trim();
  return ids ? ids.split('\n').map(id => `container ${id}`) : [];
}

/** Everything the stopped hub left behind; waits a little for processes that are still exiting. */
export async function leftovers(hubDir: string, stateDir: string): Promise<string[]> {
  let left: string[] = [];
  for (let i = 0; i < 40; i++) {
    left = [...processesOf(hubDir), ...sandboxesOf(stateDir)];
    if (existsSync(hubDir)) {
      left.push(`folder ${hubDir}`);
    }
    if (left.length === 0) {
      return left;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  return left;
}
