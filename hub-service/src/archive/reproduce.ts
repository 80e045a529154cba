// Reproduce a job: the same image (or one rebuilt from the archived spec), the same dataset version,
// the same bundle; then compare each output's hash with the archived one. Outputs are hashed, never shown.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { IBuilder } from '../build/index.js';
import { packBundle } from '../bundle/index.js';
import { dataCaller, type IDataSource, type IJheTokens, type StagingArea } from '../data/index.js';
import { HBrokerError } from '../errors.js';
import type { IExecutor } from '../exec/index.js';
import type { Resources } from '../schema/index.js';
import type { IArchive } from './index.js';

export interface IReproduceParts {
  archive: IArchive;
  docker: Docker;
  builder: IBuilder;
  staging: StagingArea;
  data: IDataSource;
  jheTokens?: IJheTokens;
  executor: IExecutor;
  /** Build log lines, if the image has to be rebuilt. */
  onLog?: (line: string) => void;
}

export type OutputVerdict = 'match' | 'differs' | 'missing' | 'new';

export interface IReproduction {
  job: string;
  image: { archived: string; used: string; rebuilt: boolean; matched: boolean };
  /** The base image a rebuild used: the archived one while the engine has it. */
  base?: { archived: string; used: string };
  dataset: { study: string; sha256: string };
  outcome: string;
  reason?: string;
  outputs: { path: string; verdict: OutputVerdict; archived?: string; now?: string }[];
  /** Every output matched and none is missing or new. */
  matched: boolean;
}

export async function reproduceJob(parts: IReproduceParts, jobId: string): Promise<IReproduction> {
  const { archive } = parts;
  const record = archive.record(jobId);
  const run = archive.run(jobId);
  if (!run) {
    throw new HBrokerError(
      'never_ran',
      `Job ${jobId} never reached its run, so there is nothing to reproduce. Reproduce a job that ran.`
    );
  }
  const files = archive.files(jobId);
  const runId = `${jobId}-reproduce-${Date.now().toString(36)}`;

  // The same image if the engine still has it; else rebuilt from the archived spec, on the archived base
  // image while the engine has it.
  const has = (image: string) =>
    parts.docker
      .getImage(image)
      .inspect()
      .then(() => true)
      .catch(() => false);
  const present = await has(run.image);
  let used = run.image;
  let base: IReproduction['base'];
  if (!present) {
    const archivedBase = run.build?.base_image;
    const built = await parts.builder.build({
      jobId: runId,
      files,
      onLog: parts.onLog ?? (() => undefined),
      ...(archivedBase && (await has(archivedBase)) ? { base: archivedBase } : {})
    });
    used = built.imageId;
    if (archivedBase) {
      base = { archived: archivedBase, used: built.build.base_image };
    }
  }

  const outputDir = mkdtempSync(join(tmpdir(), 'hbroker-reproduce-'));
  try {
    const staged = await parts.staging.stage(
      parts.data,
      runId,
      record.manifest.study,
      dataCaller(record.owner, parts.jheTokens)
    );
    if (staged.sha256 !== run.dataset.sha256) {
      throw new HBrokerError(
        'dataset_changed',
        `The data of study ${record.manifest.study} has changed since job ${jobId} ran (dataset hash ${run.dataset.sha256.slice(0, 12)}… then, ${staged.sha256.slice(0, 12)}… now), so a re-run could not reproduce it. Reproduce it where that dataset version is still served.`
      );
    }
    const result = await parts.executor.run({
      jobId: runId,
      image: used,
      bundle: await packBundle(files),
      notebook: record.manifest.notebook,
      outputs: record.manifest.outputs ?? [],
      dataDir: staged.dir,
      outputDir,
      resources: record.manifest.resources as Required<Resources>,
      signal: new AbortController().signal,
      onProgress: () => undefined
    });
    const archived = new Map(run.outputs.map(o => [o.path, o.sha256]));
    const now = new Map(result.files.map(o => [o.path, o.sha256]));
    const paths = [...new Set([...archived.keys(), ...now.keys()])].sort();
    const outputs = paths.map(path => {
      const a = archived.get(path);
      const n = now.get(path);
      const verdict: OutputVerdict = !n ? 'missing' : !a ? 'new' : a === n ? 'match' : 'differs';
      return { path, verdict, ...(a ? { archived: a } : {}), ...(n ? { now: n } : {}) };
    });
    return {
      job: jobId,
      image: { archived: run.image, used, rebuilt: !present, matched: used === run.image },
      ...(base ? { base } : {}),
      dataset: { study: record.manifest.study, sha256: staged.sha256 },
      outcome: result.outcome,
      ...(result.reason ? { reason: result.reason } : {}),
      outputs,
      matched: outputs.every(o => o.verdict === 'match')
    };
  } finally {
    parts.staging.wipe(runId);
    rmSync(outputDir, { recursive: true, force: true });
  }
}
