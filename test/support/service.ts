// Starts a real HBroker service (in this process or as a child) on a fresh state folder, for tests.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tokenSha256 } from '../../hub-service/src/api/auth.js';
import { parseConfig, type Config } from '../../hub-service/src/config/index.js';
import { createLogger } from '../../hub-service/src/log.js';
import { isTerminal } from '../../hub-service/src/jobs/states.js';
import type { Job, JobEvent, JobSubmission } from '../../hub-service/src/schema/index.js';
import { startService, type IService } from '../../hub-service/src/service.js';
import type { IJobRecord } from '../../hub-service/src/store/index.js';
import type { IDisclosureIndex } from '../../hub-service/src/vetting/index.js';
import { file, notebook, submission } from './notebook.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ITestService {
  url: string;
  token: string;
  otherToken: string;
  /** An admin's token, so with every scope: an output checker who did not submit. */
  checkerToken: string;
  config: Config;
  configFile: string;
  dir: string;
  service?: IService;
  child?: ChildProcess;
  api<T = any>(
    path: string,
    init?: RequestInit & { as?: string }
  ): Promise<{ status: number; body: T }>;
  submit(body: JobSubmission | unknown): Promise<{ status: number; body: any }>;
  waitFor(jobId: string, done: (job: Job) => boolean, timeoutMs?: number): Promise<Job>;
  events(jobId: string): Promise<JobEvent[]>;
  stop(): Promise<void>;
}

/** A study folder with a small CSV, as the local data source expects. */
function writeStudy(studiesDir: string): void {
  const dir = join(studiesDir, 'demo');
  mkdirSync(dir, { recursive: true });
  const rows = ['patient_id,effective_time,heart_rate'];
  for (let i = 0; i < 60; i++) {
    rows.push(
      `p${String(i % 20).padStart(3, '0')},2026-01-${String((i % 28) + 1).padStart(2, '0')}T08:00:00Z,${60 + ((i * 7) % 40)}`
    );
  }
  writeFileSync(join(dir, 'heart_rate.csv'), rows.join('\n') + '\n');
}

export async function startTestService(
  overrides: Record<string, any> = {},
  options: {
    child?: boolean;
    dir?: string;
    /** What the vetting looks for in outputs, until the service builds it from the staged data. */
    disclosureIndex?: (job: IJobRecord) => IDisclosureIndex;
  } = {}
): Promise<ITestService> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'hbroker-test-'));
  const token = randomBytes(24).toString('hex');
  const otherToken = randomBytes(24).toString('hex');
  const checkerToken = randomBytes(24).toString('hex');
  writeStudy(join(dir, 'studies'));
  const raw = {
    listen: {
      host: '127.0.0.1',
      port: options.child ? 20000 + Math.floor(Math.random() * 20000) : 0
    },
    state_dir: 'state',
    data: { studies_dir: 'studies' },
    release: { policy: 'auto' },
    log_level: 'warn',
    auth: {
      tokens: [
        { user: 'researcher', sha256: tokenSha256(token) },
        { user: 'second-researcher', sha256: tokenSha256(otherToken) },
        { user: 'checker', sha256: tokenSha256(checkerToken), admin: true }
      ]
    },
    ...overrides
  };
  const configFile = join(dir, 'hbroker.config.json');
  writeFileSync(configFile, JSON.stringify(raw, null, 2));
  const config = parseConfig(raw, dir);
  let service: IService | undefined;
  let child: ChildProcess | undefined;
  let url: string;
  if (options.child) {
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'hub-service/src/cli/main.ts'),
        'serve',
        '--config',
        configFile
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe']
      }
    );
    url = `http://127.0.0.1:${raw.listen.port}`;
    await waitForHealth(url, child);
  } else {
    service = await startService(config, createLogger('warn'), {
      disclosureIndex: options.disclosureIndex
    });
    url = service.url;
  }
  const t: ITestService = {
    url,
    token,
    otherToken,
    checkerToken,
    config,
    configFile,
    dir,
    service,
    child,
    async api(path, init = {}) {
      const response = await fetch(`${url}${path}`, {
        ...init,
        headers: {
          Authorization: `Bearer ${init.as ?? token}`,
          'Content-Type': 'application/json',
          ...(init.headers ?? {})
        }
      });
      const text = await response.text();
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      return { status: response.status, body };
    },
    submit(body) {
      return t.api('/api/v1/jobs', { method: 'POST', body: JSON.stringify(body) });
    },
    async waitFor(jobId, done, timeoutMs = 180000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const { body } = await t.api(`/api/v1/jobs/${jobId}`);
        if (done(body)) {
          return body;
        }
        if (Date.now() > until) {
          throw new Error(`job ${jobId} did not get there in time; last: ${JSON.stringify(body)}`);
        }
        await new Promise(r => setTimeout(r, 250));
      }
    },
    async events(jobId) {
      const response = await fetch(`${url}/api/v1/jobs/${jobId}/events`, {
        headers: { Authorization: `Bearer ${token}` }
      });
      const text = await response.text();
      return text
        .split('\n')
        .filter(l => l.startsWith('data: '))
        .map(l => JSON.parse(l.slice(6)));
    },
    async stop() {
      if (service) {
        await service.close();
      }
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise(r => child!.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return t;
}

export async function waitForHealth(
  url: string,
  child?: ChildProcess,
  timeoutMs = 30000
): Promise<void> {
  const until = Date.now() + timeoutMs;
  let stderr = '';
  child?.stderr?.on('data', d => (stderr += d));
  while (Date.now() < until) {
    if (child && child.exitCode !== null) {
      throw new Error(`service exited: ${stderr}`);
    }
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) {
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`service did not answer at ${url}: ${stderr}`);
}

/** Done, or waiting for an output checker: nothing more happens without a person. */
export const finished = (job: Job) => isTerminal(job.state) || job.state === 'awaiting_review';

/** Runs a notebook of these cells to its end and expects the job released (under auto, withheld parts too). */
export async function runReleased(
  hb: ITestService,
  cells: string[],
  outputs: string[] = []
): Promise<Job> {
  const { status, body } = await hb.submit(
    await submission([file('analysis.ipynb', notebook(...cells))], { outputs })
  );
  assert.equal(status, 201, JSON.stringify(body));
  const job = await hb.waitFor(body.id, finished);
  assert.equal(job.state, 'released', job.reason);
  return job;
}
