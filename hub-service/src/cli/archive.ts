// hbroker archive export <job>: a job's archive as a Workflow Run RO-Crate folder (never data).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { exportCrate, type IRunTimes } from '../archive/crate.js';
import { LocalArchive } from '../archive/index.js';
import type { Config } from '../config/index.js';
import { HBrokerError } from '../errors.js';
import { SqliteStore } from '../store/index.js';

/** When the run started and ended, and how the job stands, from the job's events. */
function runTimes(config: Config, jobId: string): IRunTimes {
  const store = new SqliteStore(config.store.path);
  try {
    const events = store.events(jobId).filter(e => e.type === 'state');
    const running = events.findIndex(e => e.state === 'running');
    return {
      ...(running >= 0 ? { startTime: events[running].at } : {}),
      ...(running >= 0 && events[running + 1] ? { endTime: events[running + 1].at } : {}),
      ...(store.status(jobId) ? { state: store.status(jobId)!.state } : {})
    };
  } finally {
    store.close();
  }
}

export function archiveExportCommand(config: Config, jobId: string, out?: string): number {
  const archive = new LocalArchive(join(config.state_dir, 'archive'));
  if (!archive.has(jobId)) {
    throw new HBrokerError(
      'not_found',
      `The archive has no job ${jobId}. Check the id with "hbroker jobs", and the --config.`
    );
  }
  const target = out ?? `${jobId}-crate`;
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new HBrokerError(
      'crate_exists',
      `${target} exists and is not empty; HBroker does not overwrite. Give another --out folder.`
    );
  }
  const written = exportCrate(archive, jobId, target, runTimes(config, jobId));
  console.log(
    `wrote a Workflow Run RO-Crate of job ${jobId} to ${target} (${written.length} files)`
  );
  console.log('it holds the bundle, the environment spec, image ids and hashes; never data');
  return 0;
}
