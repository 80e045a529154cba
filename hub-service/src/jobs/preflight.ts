// The preflight: the job's notebook run once in its built image, same limits, no network, on the
// study's synthetic data, before any real run. Its outputs are synthetic, so its author sees them all.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IArchive } from '../archive/index.js';
import { packBundle } from '../bundle/index.js';
import type { IBuiltImage } from '../build/index.js';
import { dataCaller, type IDataSource, type IJheTokens, type StagingArea } from '../data/index.js';
import type { IExecutor } from '../exec/index.js';
import type { PreflightResult, Resources } from '../schema/index.js';
import type { IJobRecord } from '../store/index.js';
import type { JobJournal } from './journal.js';

export interface IPreflightParts {
  journal: JobJournal;
  archive: IArchive;
  executor: IExecutor;
  data: IDataSource;
  jheTokens?: IJheTokens;
  /** Synthetic data only: kept apart from the staging area of real data. */
  staging: StagingArea;
  outputsRoot: string;
}

/** The folder the preflight's outputs are kept in, and the file its result is kept in. */
export const preflightDir = (outputsRoot: string, jobId: string) =>
  join(outputsRoot, `${jobId}.preflight`);
const resultFile = (outputsRoot: string, jobId: string) =>
  join(outputsRoot, `${jobId}.preflight.json`);

export function preflightResult(outputsRoot: string, jobId: string): PreflightResult | undefined {
  const file = resultFile(outputsRoot, jobId);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PreflightResult) : undefined;
}

/** Removes a job's preflight outputs (when the job itself is removed). */
export function dropPreflight(outputsRoot: string, jobId: string): void {
  rmSync(preflightDir(outputsRoot, jobId), { recursive: true, force: true });
  rmSync(resultFile(outputsRoot, jobId), { force: true });
}

const quoted = (paths: string[]) => paths.map(p => `"${p}"`).join(', ');

/**
 * Runs the preflight and records its result and a timeline event; returns why it failed, or
 * undefined when it passed, was skipped (no synthetic data) or was canceled.
 */
export async function runPreflight(
  parts: IPreflightParts,
  record: IJobRecord,
  image: IBuiltImage,
  signal: AbortSignal
): Promise<string | undefined> {
  const { journal, staging, outputsRoot } = parts;
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  const outputs = record.manifest.outputs ?? [];
  dropPreflight(outputsRoot, record.id);
  let result: PreflightResult;
  try {
    const synthetic = await staging.stageSynthetic(
      parts.data,
      record.id,
      record.manifest.study,
      dataCaller(record.owner, parts.jheTokens)
    );
    if (!synthetic) {
      result = {
        outcome: 'skipped',
        reason: `skipped: this service has no synthetic data for study ${record.manifest.study}`,
        seconds: seconds(),
        missing: [],
        files: []
      };
    } else {
      const run = await parts.executor.run({
        jobId: `${record.id}-preflight`,
        image: image.image,
        bundle: await packBundle(parts.archive.files(record.id)),
        notebook: record.manifest.notebook,
        outputs,
        dataDir: synthetic.dir,
        outputDir: preflightDir(outputsRoot, record.id),
        resources: record.manifest.resources as Required<Resources>,
        signal,
        onProgress: () => undefined
      });
      if (run.outcome === 'canceled') {
        return undefined;
      }
      const files = run.files.map(f => ({ path: f.path, size: f.size }));
      // A requested output it did not write is said, not fatal: writing it may depend on the data.
      const missing = run.outcome === 'ok' ? outputs.filter(o => run.missing.includes(o)) : [];
      result = {
        outcome: run.outcome === 'ok' ? 'passed' : 'failed',
        reason:
          run.outcome !== 'ok'
            ? `failed on synthetic data: ${run.reason ?? 'the run failed'}; see its full traceback and outputs in the job`
            : `passed on synthetic data in ${seconds()} s` +
              (missing.length ? `, but did not write ${quoted(missing)}, which you asked for` : ''),
        seconds: seconds(),
        missing,
        files
      };
    }
  } finally {
    staging.wipe(record.id);
  }
  mkdirSync(outputsRoot, { recursive: true, mode: 0o700 });
  writeFileSync(resultFile(outputsRoot, record.id), JSON.stringify(result));
  journal.preflight(record.id, `preflight ${result.reason}`);
  return result.outcome === 'failed' ? `The preflight ${result.reason}.` : undefined;
}
