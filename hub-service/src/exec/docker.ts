// The Docker executor: one locked-down container per run, fed the bundle on stdin, outputs read from stdout.
import type Docker from 'dockerode';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Logger } from '../log.js';
import { partialPath } from '../partial-files.js';
import type { IExecutor, IRunRequest, IRunResult, RunOutcome } from './index.js';
import { collectOutputs, type CollectResult } from './outputs.js';
import { safeExceptionName } from './exception-names.js';
import { watchPidsLimit } from './pids-watch.js';
import { progressParser, type IFinishedReport } from './progress.js';

export interface IDockerExecutorOptions {
  runtime: 'runc' | 'runsc';
  pids: number;
  tmp_mb: number;
  work_mb: number;
  output_mb: number;
  output_files: number;
  /** This service's id on the engine (derived from its state folder). */
  instance: string;
  /** The hub-service folder whose built lib/data holds the JHE facade a run serves on its loopback. */
  facadeRoot?: string;
}

/** Where the runner looks for the facade (hub-service/runner/run.py FACADE). */
export const facadeMount = '/opt/hbroker/hub-service';

export const jobLabel = 'org.hbroker.job';
/** Which service owns a sandbox: services sharing one engine never touch each other's. */
export const instanceLabel = 'org.hbroker.instance';
const sandboxUser = '1000:1000';

/** The container spec: the sandbox's whole security posture in one place. */
export function sandboxSpec(
  request: IRunRequest,
  options: IDockerExecutorOptions
): Docker.ContainerCreateOptions {
  const { resources } = request;
  const memory = resources.memory_mb * 1024 * 1024;
  const tmpfs = (mb: number) => `rw,nosuid,nodev,size=${mb}m,uid=1000,gid=1000,mode=0700`;
  return {
    name: `hbroker-job-${request.jobId}`,
    Image: request.image,
    User: sandboxUser,
    WorkingDir: '/work',
    Hostname: 'sandbox',
    Env: [
      `HBROKER_NOTEBOOK=${request.notebook}`,
      `HBROKER_OUTPUTS=${JSON.stringify(request.outputs)}`,
      'HBROKER_DATA=/data'
    ],
    Labels: { [jobLabel]: request.jobId, [instanceLabel]: options.instance },
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: true,
    Tty: false,
    NetworkDisabled: true,
    HostConfig: {
      NetworkMode: 'none',
      Runtime: options.runtime,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': tmpfs(options.tmp_mb), '/work': tmpfs(options.work_mb) },
      Mounts: [
        { Type: 'bind', Source: request.dataDir, Target: '/data', ReadOnly: true },
        // Code, not data: the facade modules and the package.json that makes them ES modules.
        ...(options.facadeRoot
          ? (['lib/data', 'package.json'] as const).map(rel => ({
              Type: 'bind' as const,
              Source: join(options.facadeRoot!, rel),
              Target: `${facadeMount}/${rel}`,
              ReadOnly: true
            }))
          : [])
      ],
      // gVisor's own threads count against the host cgroup (~50, plus ~7 per sandboxed process).
      PidsLimit: options.runtime === 'runsc' ? options.pids * 8 + 64 : options.pids,
      Memory: memory,
      MemorySwap: memory,
      NanoCpus: Math.round(resources.cpus * 1e9),
      IpcMode: 'private',
      // stdout carries the outputs: never let a log driver keep a copy on the host.
      LogConfig: { Type: 'none', Config: {} },
      AutoRemove: false,
      Privileged: false
    }
  };
}

/** Which failure it was, most specific first, and a sentence that says so without any data. */
export function classify(input: {
  canceled: boolean;
  timedOut: boolean;
  /** The host saw the pids limit refuse a fork and ended the run. */
  processLimit?: boolean;
  collect: CollectResult | undefined;
  oomKilled: boolean;
  exitCode: number | null;
  report: IFinishedReport | undefined;
  cells: number;
  request: IRunRequest;
  options: IDockerExecutorOptions;
}): { outcome: RunOutcome; reason?: string } {
  const { report, request, options } = input;
  const limits = report?.limits ?? {};
  if (input.canceled) {
    return { outcome: 'canceled', reason: 'canceled on request' };
  }
  if (input.timedOut) {
    return {
      outcome: 'timeout',
      reason: `timed out: the run took longer than its ${request.resources.timeout_seconds} s limit`
    };
  }
  const processLimit = {
    outcome: 'process_limit' as const,
    reason: `process limit reached: the notebook tried to start more than ${options.pids} processes`
  };
  // Ended by the host: its output stream was cut short, which is not the notebook's doing.
  if (input.processLimit) {
    return processLimit;
  }
  if (input.collect && !input.collect.ok) {
    return input.collect.quota
      ? { outcome: 'output_quota', reason: `output over quota: ${input.collect.reason}` }
      : { outcome: 'runner_error', reason: `outputs refused: ${input.collect.reason}` };
  }
  if (input.oomKilled || (limits.oom_kills ?? 0) > 0) {
    return {
      outcome: 'out_of_memory',
      reason: `out of memory: the notebook used more than its ${request.resources.memory_mb} MiB limit`
    };
  }
  if (limits.pids_max_hit) {
    return processLimit;
  }
  if (limits.tmp_full || limits.work_full) {
    const where = limits.tmp_full
      ? `/tmp (${options.tmp_mb} MiB)`
      : `the working folder (${options.work_mb} MiB)`;
    return { outcome: 'disk_full', reason: `disk full: the notebook filled ${where}` };
  }
  if (report?.status === 'ok' && input.exitCode === 0) {
    return { outcome: 'ok' };
  }
  const ename = safeExceptionName(report?.error?.ename ?? undefined);
  if (report?.status === 'error' && report.error?.cell) {
    const raised = report.error.ename ? ` raised ${ename ?? 'an exception'}` : ' failed';
    return {
      outcome: 'cell_error',
      reason: `non-zero exit: cell ${report.error.cell} of ${input.cells}${raised}`
    };
  }
  if (report) {
    return {
      outcome: 'runner_error',
      reason: `the run could not start the notebook (${ename ?? 'an error'})`
    };
  }
  // No final report: the sandbox itself died (under gVisor an OOM or the pids limit ends it this way).
  return {
    outcome: 'runner_error',
    reason: `non-zero exit: the sandbox stopped with exit code ${input.exitCode ?? 'unknown'} before the notebook finished`
  };
}

export class DockerExecutor implements IExecutor {
  constructor(
    private docker: Docker,
    private options: IDockerExecutorOptions,
    private log: Logger
  ) {}

  async run(request: IRunRequest): Promise<IRunResult> {
    // Outputs are copied into a partial folder and appear whole: a crash meanwhile leaves a name a start sweeps.
    const collected = partialPath(request.outputDir);
    mkdirSync(dirname(request.outputDir), { recursive: true, mode: 0o700 });
    await this.removeSandbox(request.jobId);
    const container = await this.docker.createContainer(sandboxSpec(request, this.options));
    let timedOut = false;
    let canceled = false;
    let processLimit = false;
    let stopWatching = () => undefined as void;
    let report: IFinishedReport | undefined;
    let cells = 0;
    const kill = () => container.kill().catch(() => undefined);
    try {
      const stream = (await container.attach({
        stream: true,
        stdin: true,
        stdout: true,
        stderr: true,
        hijack: true
      })) as NodeJS.ReadWriteStream;
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      this.docker.modem.demuxStream(stream, stdout, stderr);
      stream.on('end', () => {
        stdout.end();
        stderr.end();
      });
      stderr.on(
        'data',
        progressParser({
          onStarted: n => {
            cells = n;
            request.onProgress(0, n);
          },
          onCell: (i, n) => request.onProgress(i, n),
          onFinished: r => {
            report = r;
          }
        })
      );
      rmSync(collected, { recursive: true, force: true });
      mkdirSync(collected, { mode: 0o700 });
      const collecting = collectOutputs(stdout, collected, {
        maxBytes: this.options.output_mb * 1024 * 1024,
        maxFiles: this.options.output_files
      }).then(result => {
        if (!result.ok) {
          void kill();
        }
        return result;
      });
      const timer = setTimeout(() => {
        timedOut = true;
        void kill();
      }, request.resources.timeout_seconds * 1000);
      const onAbort = () => {
        canceled = true;
        void kill();
      };
      request.signal.addEventListener('abort', onAbort);
      if (request.signal.aborted) {
        onAbort();
      }
      await container.start();
      const started = await container.inspect();
      stopWatching = watchPidsLimit(started.State.Pid, () => {
        processLimit = true;
        void kill();
      });
      stream.write(request.bundle);
      stream.end();
      const waited = (await container.wait()) as { StatusCode: number };
      clearTimeout(timer);
      stopWatching();
      request.signal.removeEventListener('abort', onAbort);
      const collect = await collecting;
      rmSync(request.outputDir, { recursive: true, force: true });
      renameSync(collected, request.outputDir);
      const info = await container.inspect();
      const verdict = classify({
        canceled,
        timedOut,
        processLimit,
        collect,
        oomKilled: Boolean(info.State.OOMKilled),
        exitCode: waited.StatusCode,
        report,
        cells,
        request,
        options: this.options
      });
      this.log.info(
        { job: request.jobId, outcome: verdict.outcome, exit: waited.StatusCode },
        'sandbox finished'
      );
      return {
        ...verdict,
        files: collect.files,
        missing: report?.missing ?? [],
        exitCode: waited.StatusCode
      };
    } finally {
      stopWatching();
      rmSync(collected, { recursive: true, force: true });
      await container.remove({ force: true }).catch(() => undefined);
    }
  }

  /** Sandboxes by label: one job's, or every job's. */
  private labelled(jobId?: string): Promise<Docker.ContainerInfo[]> {
    return this.docker.listContainers({
      all: true,
      filters: {
        label: [
          `${instanceLabel}=${this.options.instance}`,
          jobId ? `${jobLabel}=${jobId}` : jobLabel
        ]
      }
    });
  }

  private async remove(containers: Docker.ContainerInfo[]): Promise<void> {
    await Promise.all(
      containers.map(c =>
        this.docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined)
      )
    );
  }

  private async removeSandbox(jobId: string): Promise<void> {
    await this.remove(await this.labelled(jobId));
  }

  async removeOrphans(keep: ReadonlySet<string>): Promise<string[]> {
    const orphans = (await this.labelled()).filter(c => !keep.has(c.Labels[jobLabel]));
    await this.remove(orphans);
    return orphans.map(c => c.Labels[jobLabel]);
  }
}
