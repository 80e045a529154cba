import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify, sandboxSpec, type IDockerExecutorOptions } from './docker.js';
import type { IRunRequest } from './index.js';

const options: IDockerExecutorOptions = {
  runtime: 'runsc',
  pids: 128,
  tmp_mb: 64,
  work_mb: 512,
  output_mb: 8,
  output_files: 50,
  instance: 'abc'
};
const request = {
  jobId: 'job-1',
  image: 'hbroker-run-base:test',
  bundle: Buffer.alloc(0),
  notebook: 'analysis.ipynb',
  outputs: ['out.csv'],
  dataDir: '/srv/staging/job-1',
  outputDir: '/srv/outputs/job-1',
  resources: { cpus: 1.5, memory_mb: 512, timeout_seconds: 60 },
  signal: new AbortController().signal,
  onProgress: () => undefined
} as IRunRequest;

describe('the sandbox spec', () => {
  const spec = sandboxSpec(request, options);
  const host = spec.HostConfig!;

  it('has no network, no capabilities, no new privileges and a read-only root', () => {
    assert.equal(host.NetworkMode, 'none');
    assert.equal(spec.NetworkDisabled, true);
    assert.deepEqual(host.CapDrop, ['ALL']);
    assert.equal(host.CapAdd, undefined);
    assert.deepEqual(host.SecurityOpt, ['no-new-privileges']);
    assert.equal(host.ReadonlyRootfs, true);
    assert.equal(host.Privileged, false);
    assert.equal(spec.User, '1000:1000');
  });

  it('caps pids, memory without swap, CPU and scratch space; uses the configured runtime', () => {
    assert.equal(host.PidsLimit, 128 * 8 + 64, 'gVisor threads count against the pids limit');
    assert.equal(sandboxSpec(request, { ...options, runtime: 'runc' }).HostConfig!.PidsLimit, 128);
    assert.equal(host.Memory, 512 * 1048576);
    assert.equal(host.MemorySwap, host.Memory);
    assert.equal(host.NanoCpus, 1.5e9);
    assert.match(host.Tmpfs!['/tmp'], /size=64m/);
    assert.match(host.Tmpfs!['/work'], /size=512m/);
    assert.equal(host.Runtime, 'runsc');
  });

  it('mounts only the job data, read-only, and keeps no log copy of stdout', () => {
    assert.deepEqual(host.Mounts, [
      { Type: 'bind', Source: '/srv/staging/job-1', Target: '/data', ReadOnly: true }
    ]);
    const withFacade = sandboxSpec(request, { ...options, facadeRoot: '/opt/hub-service' });
    assert.deepEqual(withFacade.HostConfig!.Mounts, [
      { Type: 'bind', Source: '/srv/staging/job-1', Target: '/data', ReadOnly: true },
      {
        Type: 'bind',
        Source: '/opt/hub-service/lib/data',
        Target: '/opt/hbroker/hub-service/lib/data',
        ReadOnly: true
      },
      {
        Type: 'bind',
        Source: '/opt/hub-service/package.json',
        Target: '/opt/hbroker/hub-service/package.json',
        ReadOnly: true
      }
    ]);
    assert.equal(host.Binds, undefined);
    assert.equal(host.LogConfig!.Type, 'none');
    assert.deepEqual(spec.Labels, { 'org.hbroker.job': 'job-1', 'org.hbroker.instance': 'abc' });
    assert.ok(!(spec.Env ?? []).some(e => /TOKEN/i.test(e)), 'no token enters the sandbox');
  });
});

describe('classifying how a run ended', () => {
  const base = {
    canceled: false,
    timedOut: false,
    collect: { ok: true as const, files: [] },
    oomKilled: false,
    exitCode: 1,
    report: undefined,
    cells: 4,
    request,
    options
  };

  it('says which limit was hit', () => {
    assert.equal(classify({ ...base, timedOut: true }).outcome, 'timeout');
    // Ended by the host at the first refused fork: the cut output stream is not the notebook's doing.
    assert.deepEqual(
      classify({
        ...base,
        processLimit: true,
        collect: { ok: false, files: [], quota: false, reason: 'the tar ended early' }
      }),
      {
        outcome: 'process_limit',
        reason: 'process limit reached: the notebook tried to start more than 128 processes'
      }
    );
    assert.equal(classify({ ...base, oomKilled: true }).outcome, 'out_of_memory');
    assert.equal(
      classify({ ...base, report: { status: 'error', limits: { pids_max_hit: true } } }).outcome,
      'process_limit'
    );
    assert.equal(
      classify({ ...base, report: { status: 'error', limits: { tmp_full: true } } }).reason,
      'disk full: the notebook filled /tmp (64 MiB)'
    );
    assert.equal(
      classify({
        ...base,
        collect: {
          ok: false,
          files: [],
          quota: true,
          reason: 'the outputs exceed the 8 MiB output quota'
        }
      }).outcome,
      'output_quota'
    );
  });

  it('names the failing cell and exception class only', () => {
    const verdict = classify({
      ...base,
      report: { status: 'error', error: { cell: 3, ename: 'KeyError' } }
    });
    assert.deepEqual(verdict, {
      outcome: 'cell_error',
      reason: 'non-zero exit: cell 3 of 4 raised KeyError'
    });
    assert.equal(classify({ ...base, exitCode: 0, report: { status: 'ok' } }).outcome, 'ok');
    const custom = classify({
      ...base,
      report: { status: 'error', error: { cell: 1, ename: 'PatientSmithError' } }
    });
    assert.equal(
      custom.reason,
      'non-zero exit: cell 1 of 4 raised an exception',
      'a made-up class name could spell data'
    );
  });
});
