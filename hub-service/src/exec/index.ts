// The Executor interface: run one job's notebook in a sandbox and bring back its outputs under caps.
import type { Resources } from '../schema/index.js';

export interface IRunRequest {
  jobId: string;
  image: string;
  /** Uncompressed tar of the bundle, fed to the runner's stdin. */
  bundle: Buffer;
  notebook: string;
  outputs: string[];
  /** Host folder with the staged data, mounted read-only at /data. */
  dataDir: string;
  /** Host folder the collected outputs are written to (quarantine until vetted). */
  outputDir: string;
  resources: Required<Resources>;
  signal: AbortSignal;
  onProgress(cell: number, cells: number): void;
}

export type RunOutcome =
  | 'ok'
  | 'cell_error'
  | 'timeout'
  | 'out_of_memory'
  | 'process_limit'
  | 'disk_full'
  | 'output_quota'
  | 'runner_error'
  | 'canceled';

export interface IOutputFile {
  path: string;
  size: number;
  sha256: string;
}

export interface IRunResult {
  outcome: RunOutcome;
  /** A sentence for the researcher; never data. */
  reason?: string;
  files: IOutputFile[];
  missing: string[];
  exitCode: number | null;
}

export interface IExecutor {
  run(request: IRunRequest): Promise<IRunResult>;
  /** Removes every sandbox whose job is not in `keep`; returns the job ids it removed. */
  removeOrphans(keep: ReadonlySet<string>): Promise<string[]>;
}

export { DockerExecutor, type IDockerExecutorOptions } from './docker.js';
