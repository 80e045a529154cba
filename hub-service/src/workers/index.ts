// Off the event loop: staging a study, reading what it discloses and vetting outputs run in worker threads.
import type { IBundleFile } from '../bundle/index.js';
import type { Config } from '../config/index.js';
import { dataSourceFor } from '../data/from-config.js';
import type { IDataSource } from '../data/index.js';
import type { IOutputFile } from '../exec/index.js';
import type { Artifact } from '../schema/index.js';
import type { IDisclosureIndex } from '../vetting/index.js';
import { WorkerPool } from './pool.js';
import type { TaskInput, TaskName, TaskResult } from './protocol.js';
import { encodeIndex } from './staged-index.js';

/** A staged study's disclosure index, as bytes only a worker thread reads. */
export type StagedIndex = ArrayBuffer;

export class OffLoop {
  private pool: WorkerPool;

  /** One thread per job that may run at once; each is started when first needed. */
  constructor(
    private config: Config,
    private options: { archiveRoot: string; threads?: number }
  ) {
    this.pool = new WorkerPool(options.threads ?? Math.max(1, config.executor.concurrency));
  }

  run<K extends TaskName>(
    task: K,
    input: TaskInput<K>,
    transfer: ArrayBuffer[] = []
  ): Promise<TaskResult<K>> {
    return this.pool.run<TaskResult<K>>(task, input, transfer);
  }

  /** The configured data source; its stage() (fetch, decrypt, write, hash) runs in a worker thread. */
  dataSource(inThread: IDataSource = dataSourceFor(this.config)): IDataSource {
    return {
      studies: caller => inThread.studies(caller),
      has: (study, caller) => inThread.has(study, caller),
      stage: async (study, into, caller) => {
        const { jheToken, ...plain } = caller;
        return this.run('stage', {
          config: this.config,
          study,
          into,
          caller: plain,
          jheToken: await jheToken?.()
        });
      },
      // The preflight's synthetic data (small, generated) is written on this thread.
      ...(inThread.stageSynthetic
        ? {
            stageSynthetic: (study, into, caller) => inThread.stageSynthetic!(study, into, caller)
          }
        : {})
    };
  }

  /** A job's archived bundle, read and checked against its hashes in a worker thread. */
  async bundleFiles(jobId: string): Promise<IBundleFile[]> {
    const packed = await this.run('bundleFiles', { archiveRoot: this.options.archiveRoot, jobId });
    let offset = 0;
    return packed.entries.map(e => {
      const content = Buffer.from(packed.contents, offset, e.length);
      offset += e.length;
      return { path: e.path, mode: e.mode, content };
    });
  }

  disclosureIndex(dir: string): Promise<StagedIndex> {
    return this.run('disclosureIndex', { dir });
  }

  /** Vets a run's outputs; the index is handed to the thread (the caller must not use it again). */
  vet(
    run: { files: IOutputFile[]; notebook: string; outputDir: string; declared?: string[] },
    index: StagedIndex | IDisclosureIndex
  ): Promise<Artifact[]> {
    const bytes = index instanceof ArrayBuffer ? index : encodeIndex(index);
    return this.run('vet', { ...run, vetting: this.config.vetting, index: bytes }, [bytes]);
  }

  /** How many worker threads are started. */
  get threads(): number {
    return this.pool.threads;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
