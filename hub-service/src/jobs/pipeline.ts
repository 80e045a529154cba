// The pipeline after submission: build → stage → run → vet → release, resumable from any non-terminal state.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { IArchive } from '../archive/index.js';
import { packBundle } from '../bundle/index.js';
import type { IBuilder, IBuiltImage } from '../build/index.js';
import {
  dataCaller,
  type IDataSource,
  type IJheTokens,
  type IStagedData,
  type StagingArea
} from '../data/index.js';
import { HBrokerError } from '../errors.js';
import type { IExecutor, IOutputFile } from '../exec/index.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { writeFileWhole } from '../partial-files.js';
import { applyPolicy, jobPolicy } from '../review/index.js';
import type { Artifact, JobState, ReleasePolicy, Resources } from '../schema/index.js';
import type { IJobRecord } from '../store/index.js';
import type { IDisclosureIndex } from '../vetting/index.js';
import type { OffLoop, StagedIndex } from '../workers/index.js';
import type { JobJournal } from './journal.js';
import { runPreflight, type IPreflightParts } from './preflight.js';

export interface IPipelineParts {
  journal: JobJournal;
  archive: IArchive;
  builder: IBuilder;
  staging: StagingArea;
  data: IDataSource;
  /** The job owner's JHE token is read when their data is staged, never earlier or stored. */
  jheTokens?: IJheTokens;
  executor: IExecutor;
  /** Where the staged data's index is read and outputs are vetted: worker threads, off the event loop. */
  offLoop: OffLoop;
  /** What the job's staged data holds that must not leave (identifiers, records); empty when absent. */
  disclosureIndex?: (job: IJobRecord) => IDisclosureIndex | Promise<IDisclosureIndex>;
  policy: ReleasePolicy;
  /** What a failed run tells its author (config vetting.failure_detail); none also hides progress by cell. */
  failureDetail?: 'cell' | 'none';
  /** Where the preflight's synthetic data is staged (apart from real data); no preflight without it. */
  preflight?: StagingArea;
  outputsRoot: string;
  concurrency: number;
  metrics: Metrics;
  log: Logger;
}

/** A failed run's reason under failure_detail none: the same whatever failed, so it carries no data. */
export const failedWithoutDetail =
  'the run failed; this service does not say where or why a sensitive run fails (vetting.failure_detail). Run the notebook on the synthetic data to find the error.';

/** Thrown inside a stage to end the job in a given failed state with a reason. */
class StageFailure extends Error {
  constructor(
    readonly state: JobState,
    readonly reason: string
  ) {
    super(reason);
  }
}

export class Pipeline {
  private waiting: string[] = [];
  private active = new Map<string, AbortController>();
  private idle: (() => void)[] = [];
  private stopped = false;
  private indexes = new Map<string, StagedIndex>();

  constructor(private parts: IPipelineParts) {}

  enqueue(jobId: string): void {
    if (!this.stopped && !this.waiting.includes(jobId) && !this.active.has(jobId)) {
      this.waiting.push(jobId);
      this.pump();
    }
  }

  /** Cancels a job in any non-terminal state; a running sandbox is killed. */
  cancel(jobId: string, actor: string): boolean {
    if (!this.parts.journal.transition(jobId, 'canceled', `canceled by ${actor}`, actor)) {
      return false;
    }
    this.active.get(jobId)?.abort();
    return true;
  }

  /** Stops every sandbox and takes no new work; the jobs keep their state for the next start. */
  stop(): void {
    this.stopped = true;
    this.waiting = [];
    for (const controller of this.active.values()) {
      controller.abort();
    }
  }

  activeJobs(): string[] {
    return [...this.active.keys()];
  }

  /** Resolves when nothing is queued or running (for shutdown and tests). */
  drained(): Promise<void> {
    if (this.active.size === 0 && this.waiting.length === 0) {
      return Promise.resolve();
    }
    return new Promise(resolve => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.active.size < this.parts.concurrency && this.waiting.length > 0) {
      const jobId = this.waiting.shift()!;
      const controller = new AbortController();
      this.active.set(jobId, controller);
      this.parts.metrics.activeJobs.set(this.active.size);
      void this.process(jobId, controller.signal).finally(() => {
        this.active.delete(jobId);
        this.parts.metrics.activeJobs.set(this.active.size);
        this.pump();
        if (this.active.size === 0 && this.waiting.length === 0) {
          this.idle.splice(0).forEach(resolve => resolve());
        }
      });
    }
  }

  private collectedFile(jobId: string): string {
    return join(this.parts.outputsRoot, `${jobId}.collected.json`);
  }

  get outputsRoot(): string {
    return this.parts.outputsRoot;
  }

  outputDir(jobId: string): string {
    return join(this.parts.outputsRoot, jobId);
  }

  /** Template: each stage runs only if the job is at or before it; a refused transition means canceled. */
  private async process(jobId: string, signal: AbortSignal): Promise<void> {
    const { journal, log } = this.parts;
    const record = journal.store.job(jobId);
    if (!record) {
      return;
    }
    const at = () => journal.state(jobId)!;
    try {
      if (at() === 'archived' && !journal.transition(jobId, 'building')) {
        return;
      }
      if (at() === 'building' || at() === 'staging') {
        const image = await this.build(record);
        if (at() === 'building' && !journal.transition(jobId, 'staging')) {
          return;
        }
        const staged = await this.stageAfterPreflight(record, image, signal);
        if (!journal.transition(jobId, 'running')) {
          return;
        }
        await this.run(record, image, staged, signal);
      }
      if (at() === 'checking') {
        await this.check(record);
      }
    } catch (e) {
      const failure =
        e instanceof StageFailure
          ? e
          : e instanceof HBrokerError
            ? new StageFailure(at() === 'building' ? 'build_failed' : 'system_error', e.message)
            : new StageFailure(
                'system_error',
                'an internal error stopped the job; an admin can find it in the service log'
              );
      if (!(e instanceof StageFailure) && !(e instanceof HBrokerError)) {
        log.error({ job: jobId, err: e }, 'job failed with an internal error');
      }
      journal.transition(jobId, failure.state, failure.reason);
      rmSync(this.outputDir(jobId), { recursive: true, force: true });
    } finally {
      this.parts.staging.wipe(jobId);
      // Only a job waiting to be vetted still needs its staged data's index; a large study's is large.
      if (at() !== 'checking') {
        this.indexes.delete(jobId);
      }
    }
  }

  /**
   * Stages the real data while the preflight runs on synthetic data; the real run waits for both. A
   * failed preflight ends the job (the finally of process() wipes whatever was staged).
   */
  private async stageAfterPreflight(
    record: IJobRecord,
    image: IBuiltImage,
    signal: AbortSignal
  ): Promise<IStagedData> {
    if (!this.parts.preflight) {
      return this.stage(record);
    }
    const staging = this.stage(record);
    // Staging's own failure is reported after the preflight's, which the author can act on first.
    staging.catch(() => undefined);
    const failure = await runPreflight(this.preflightParts(), record, image, signal);
    if (failure) {
      await staging.catch(() => undefined);
      throw new StageFailure('preflight_failed', failure);
    }
    return staging;
  }

  private preflightParts(): IPreflightParts {
    const { journal, archive, executor, data, jheTokens, outputsRoot } = this.parts;
    return {
      journal,
      archive,
      executor,
      data,
      jheTokens,
      staging: this.parts.preflight!,
      outputsRoot
    };
  }

  private async build(record: IJobRecord): Promise<IBuiltImage> {
    return this.parts.builder.build({
      jobId: record.id,
      files: await this.parts.offLoop.bundleFiles(record.id),
      onLog: line => this.parts.journal.buildLog(record.id, line)
    });
  }

  private async stage(record: IJobRecord): Promise<IStagedData> {
    const staged = await this.parts.staging.stage(
      this.parts.data,
      record.id,
      record.manifest.study,
      dataCaller(record.owner, this.parts.jheTokens)
    );
    this.parts.journal.audit.record('hbroker', 'data.staged', record.id, {
      study: record.manifest.study,
      files: staged.files,
      bytes: staged.bytes,
      ...(staged.records ? { records: staged.records } : {}),
      dataset_sha256: staged.sha256
    });
    // Read now, while the data is staged: vetting runs after the data is wiped.
    this.indexes.set(record.id, await this.parts.offLoop.disclosureIndex(staged.dir));
    return staged;
  }

  /** The staged data's identifiers and records; after a restart the study is staged again to read them. */
  private async indexFor(record: IJobRecord): Promise<StagedIndex | IDisclosureIndex> {
    if (this.parts.disclosureIndex) {
      return this.parts.disclosureIndex(record);
    }
    let index = this.indexes.get(record.id);
    if (!index) {
      try {
        await this.stage(record);
        index = this.indexes.get(record.id)!;
      } finally {
        this.parts.staging.wipe(record.id);
      }
    }
    return index;
  }

  private async run(
    record: IJobRecord,
    image: IBuiltImage,
    staged: IStagedData,
    signal: AbortSignal
  ): Promise<void> {
    const { journal, executor, metrics } = this.parts;
    const detailed = this.parts.failureDetail !== 'none';
    const started = Date.now();
    const result = await executor.run({
      jobId: record.id,
      image: image.image,
      bundle: await packBundle(await this.parts.offLoop.bundleFiles(record.id)),
      notebook: record.manifest.notebook,
      outputs: record.manifest.outputs ?? [],
      dataDir: staged.dir,
      outputDir: this.outputDir(record.id),
      resources: record.manifest.resources as Required<Resources>,
      signal,
      // Which cell is running when is a channel too: under `none` only the start is shown.
      onProgress: (cell, cells) =>
        (detailed || cell === 0) && journal.progress(record.id, cell, cells)
    });
    metrics.runSeconds.observe({ outcome: result.outcome }, (Date.now() - started) / 1000);
    this.parts.staging.wipe(record.id);
    this.parts.archive.putRun(record.id, {
      image: image.imageId,
      build: image.build,
      outputs: result.files,
      dataset: {
        study: record.manifest.study,
        files: staged.files,
        sha256: staged.sha256,
        ...(staged.records ? { records: staged.records } : {})
      }
    });
    if (result.outcome === 'canceled') {
      rmSync(this.outputDir(record.id), { recursive: true, force: true });
      return;
    }
    if (result.outcome !== 'ok') {
      // The admin's log keeps the detail; the author learns it only when the policy allows.
      this.parts.log.info(
        { job: record.id, outcome: result.outcome, reason: result.reason },
        'sensitive run failed'
      );
      throw new StageFailure(
        'run_failed',
        detailed ? (result.reason ?? 'the run failed') : failedWithoutDetail
      );
    }
    writeFileWhole(this.collectedFile(record.id), JSON.stringify(result.files));
    // The policy in force when the job enters checking stays its policy, whatever the config says later.
    journal.store.recordPolicy(record.id, jobPolicy(this.parts.policy));
    journal.transition(record.id, 'checking');
  }

  private async check(record: IJobRecord): Promise<void> {
    const { journal } = this.parts;
    const listFile = this.collectedFile(record.id);
    if (!existsSync(listFile)) {
      throw new StageFailure(
        'system_error',
        'the outputs of this run were lost when the service restarted; submit it again'
      );
    }
    const files = JSON.parse(readFileSync(listFile, 'utf8')) as IOutputFile[];
    // Each file, the log, and every output of every notebook cell is its own artifact.
    const vetted = await this.parts.offLoop.vet(
      {
        files,
        notebook: record.manifest.notebook,
        outputDir: this.outputDir(record.id),
        declared: record.manifest.outputs ?? []
      },
      await this.indexFor(record)
    );
    this.indexes.delete(record.id);
    const policy = journal.store.recordPolicy(record.id, jobPolicy(this.parts.policy));
    const decision = applyPolicy(policy, vetted);
    journal.store.saveArtifacts(record.id, decision.artifacts);
    journal.audit.record('hbroker', 'job.vetted', record.id, {
      policy,
      artifacts: summarise(decision.artifacts)
    });
    journal.transition(record.id, decision.state);
  }
}

const summarise = (artifacts: Artifact[]) =>
  artifacts.map(a => ({
    path: a.path,
    sha256: a.sha256,
    status: a.status,
    verdicts: a.findings.map(f => f.verdict)
  }));
