// After a start or a crash: bring every unfinished job to a correct state and leave nothing behind.
import type { IArchive } from '../archive/index.js';
import type { StagingArea } from '../data/index.js';
import type { IExecutor } from '../exec/index.js';
import type { Logger } from '../log.js';
import type { PartialFiles } from '../partial-files.js';
import type { JobJournal } from './journal.js';
import type { Pipeline } from './pipeline.js';
import { rmSync } from 'node:fs';

export async function reconcile(deps: {
  journal: JobJournal;
  archive: IArchive;
  executor: IExecutor;
  staging: StagingArea;
  pipeline: Pipeline;
  /** Files a crash left half-written in the state folder (archive objects, collected outputs). */
  partials?: PartialFiles;
  log: Logger;
}): Promise<{
  resumed: string[];
  failed: string[];
  orphans: string[];
  wiped: string[];
  partial: string[];
}> {
  const { journal, pipeline } = deps;
  const resumed: string[] = [];
  const failed: string[] = [];
  // No sandbox survives a restart: this process attached to none of them, so their outputs are lost.
  const orphans = await deps.executor.removeOrphans(new Set());
  const wiped = deps.staging.sweep();
  const partial = deps.partials?.sweep() ?? [];
  const unfinished = journal.store.jobsInStates([
    'queued',
    'archived',
    'building',
    'staging',
    'running',
    'checking'
  ]);
  for (const job of unfinished) {
    const state = journal.state(job.id);
    if (state === 'running') {
      journal.transition(
        job.id,
        'system_error',
        'the service restarted while the notebook ran, so its outputs could not be collected; submit it again'
      );
      rmSync(pipeline.outputDir(job.id), { recursive: true, force: true });
      failed.push(job.id);
    } else if (state === 'queued') {
      let archived = false;
      try {
        deps.archive.record(job.id);
        archived = true;
      } catch {
        archived = false;
      }
      if (archived) {
        journal.transition(job.id, 'archived');
        pipeline.enqueue(job.id);
        resumed.push(job.id);
      } else {
        journal.transition(
          job.id,
          'system_error',
          'the service stopped before the bundle was archived; submit it again'
        );
        failed.push(job.id);
      }
    } else {
      pipeline.enqueue(job.id);
      resumed.push(job.id);
    }
  }
  if (unfinished.length + orphans.length + wiped.length + partial.length > 0) {
    journal.audit.record('hbroker', 'service.reconcile', undefined, {
      resumed,
      failed,
      orphans,
      wiped,
      partial
    });
    deps.log.info({ resumed, failed, orphans, wiped, partial }, 'reconciled unfinished jobs');
  }
  return { resumed, failed, orphans, wiped, partial };
}
