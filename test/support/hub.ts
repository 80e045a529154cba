// Starts a real JupyterHub (from test/hub/jupyterhub_config.py) with HBroker as its managed service.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReleasePolicy } from '../../hub-service/src/schema/index.js';
import { repoRoot } from './service.js';

export interface IHubOptions {
  /** A folder of studies (one subfolder per study id) copied in instead of the small built-in `demo`. */
  studiesDir?: string;
  /** Extra command-line arguments for every user's server (e.g. test-only JupyterLab options). */
  serverArgs?: string[];
  /**
   * Users sign in through this exchange (the shim's configure_jhe_login), and the service reads its
   * studies; `registerClient` registers the hub's OAuth client and callback with the exchange.
   */
  jhe?: {
    url: string;
    partnerKeyset: string;
    registerClient?: (clientId: string, redirectUri: string) => void;
    /** Seconds between the hub's checks of a user's JHE token (JupyterHub's auth_refresh_age). */
    authRefreshAge?: number;
    /** data.jhe.identity "broker": HBroker's own client key file and its grants. */
    broker?: {
      clientKeyFile: string;
      grants: { study: string; users?: string[]; groups?: string[] }[];
    };
  };
  /** Hub groups and their members (plain demo names; the config maps them to hub names). */
  groups?: Record<string, string[]>;
  /** The service's release policy; `auto` unless a test needs output checkers. */
  releasePolicy?: ReleasePolicy;
  /** What a failed run tells its author (vetting.failure_detail); the service's default when absent. */
  failureDetail?: 'cell' | 'none';
  /** Users who may submit besides researcher and researcher2 (e.g. a checker, to try reviewing their own job). */
  submitters?: string[];
  /** Local studies' synthetic data for the preflight (one subfolder per study id), copied in. */
  syntheticDir?: string;
}

export interface IHub {
  url: string;
  serviceUrl: string;
  dir: string;
  stateDir: string;
  password: string;
  jheSecret: string;
  /** Everything the hub and the service printed so far. */
  output(): string;
  /** The hub API's URL, and the test-driver service's token (read:users, admin:auth_state, …). */
  apiUrl: string;
  driverToken: string;
  /** The service's config file. */
  serviceConfig: string;
  /** Calls the hub API as the test-driver service. */
  hubApi(path: string, init?: RequestInit): Promise<Response>;
  /** A new API token of a user (scopes: the user's own). */
  tokenFor(user: string): Promise<{ id: string; token: string }>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function startHub(options: IHubOptions = {}): Promise<IHub> {
  const dir = mkdtempSync(join(tmpdir(), 'hbroker-hub-'));
  const stateDir = join(dir, 'hbroker');
  mkdirSync(join(dir, 'home'), { recursive: true });
  if (options.studiesDir) {
    cpSync(options.studiesDir, join(dir, 'studies'), { recursive: true });
  } else {
    const studies = join(dir, 'studies', 'demo');
    mkdirSync(studies, { recursive: true });
    writeFileSync(join(studies, 'heart_rate.csv'), 'patient_id,heart_rate\np1,61\np2,72\np3,80\n');
  }
  if (options.syntheticDir) {
    cpSync(options.syntheticDir, join(dir, 'synthetic'), { recursive: true });
  }
  const serviceConfig = join(dir, 'hbroker.config.json');
  writeFileSync(
    serviceConfig,
    JSON.stringify({
      state_dir: stateDir,
      data: options.jhe
        ? {
            kind: 'jhe',
            jhe: {
              url: options.jhe.url,
              partner_keyset: options.jhe.partnerKeyset,
              ...(options.jhe.broker
                ? {
                    identity: 'broker',
                    client_key_file: options.jhe.broker.clientKeyFile,
                    grants: options.jhe.broker.grants
                  }
                : {})
            }
          }
        : {
            studies_dir: join(dir, 'studies'),
            // Staged on disk under the state folder, where a test can look at it.
            ...(options.syntheticDir
              ? { synthetic_dir: join(dir, 'synthetic'), staging: 'disk' }
              : {})
          },
      release: { policy: options.releasePolicy ?? 'auto' },
      ...(options.failureDetail ? { vetting: { failure_detail: options.failureDetail } } : {}),
      auth: { cache_seconds: 1 },
      log_level: 'info'
    })
  );
  const ports = {
    PUBLIC: await freePort(),
    HUB: await freePort(),
    PROXY_API: await freePort(),
    SERVICE: await freePort()
  };
  options.jhe?.registerClient?.(
    'hbroker-test-hub',
    `http://127.0.0.1:${ports.PUBLIC}/hub/oauth_callback`
  );
  const driverToken = randomBytes(24).toString('hex');
  const password = randomBytes(12).toString('hex');
  const jheSecret = randomBytes(12).toString('hex');
  const child: ChildProcess = spawn(
    join(repoRoot, '.venv/bin/python'),
    ['-m', 'jupyterhub', '-f', join(repoRoot, 'test/hub/jupyterhub_config.py')],
    {
      cwd: dir,
      env: {
        ...process.env,
        HBROKER_TEST_HUB_DIR: dir,
        HBROKER_TEST_REPO: repoRoot,
        HBROKER_TEST_SERVICE_CONFIG: serviceConfig,
        HBROKER_TEST_DRIVER_TOKEN: driverToken,
        HBROKER_TEST_PASSWORD: password,
        HBROKER_TEST_JHE_SECRET: jheSecret,
        HBROKER_TEST_SERVER_ARGS: JSON.stringify(options.serverArgs ?? []),
        HBROKER_TEST_JHE_URL: options.jhe?.url ?? '',
        HBROKER_TEST_AUTH_REFRESH_AGE: String(options.jhe?.authRefreshAge ?? 300),
        HBROKER_TEST_SUBMITTERS: JSON.stringify(options.submitters ?? []),
        HBROKER_TEST_GROUPS: JSON.stringify(options.groups ?? {}),
        JUPYTERHUB_CRYPT_KEY: randomBytes(32).toString('hex'),
        ...Object.fromEntries(
          Object.entries(ports).map(([k, v]) => [`HBROKER_TEST_${k}_PORT`, String(v)])
        )
      },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  let output = '';
  child.stdout!.on('data', d => (output += d));
  child.stderr!.on('data', d => (output += d));
  const url = `http://127.0.0.1:${ports.PUBLIC}`;
  const hub: IHub = {
    url,
    serviceUrl: `${url}/services/hbroker`,
    dir,
    stateDir,
    password,
    jheSecret,
    apiUrl: `${url}/hub/api`,
    driverToken,
    serviceConfig,
    output: () => output,
    hubApi: (path, init = {}) =>
      fetch(`${url}/hub/api${path}`, {
        ...init,
        headers: { Authorization: `token ${driverToken}`, ...(init.headers ?? {}) }
      }),
    async tokenFor(user) {
      const r = await hub.hubApi(`/users/${user}/tokens`, {
        method: 'POST',
        body: JSON.stringify({ note: 'hbroker test' })
      });
      if (!r.ok) {
        throw new Error(`token for ${user}: ${r.status} ${await r.text()}`);
      }
      const body = (await r.json()) as { id: string; token: string };
      return { id: body.id, token: body.token };
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise(r => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // The machine may be small and busy: starting the hub and the service can take minutes.
  const until = Date.now() + 240000;
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`JupyterHub exited: ${output}`);
    }
    try {
      if ((await fetch(`${hub.serviceUrl}/health`)).ok) {
        return hub;
      }
    } catch {
      // not up yet
    }
    if (Date.now() > until) {
      await hub.stop();
      throw new Error(`JupyterHub or the service did not come up: ${output}`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
}
