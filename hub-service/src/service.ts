// Wires the service from config: the one place that chooses each pluggable part.
import Docker from 'dockerode';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './api/app.js';
import { StaticTokenAuthenticator } from './api/auth.js';
import { HubAuthenticator, HubClient, HubJheTokens, hubSettingsFromEnv } from './api/hub/index.js';
import { HBrokerError } from './errors.js';
import { LocalArchive } from './archive/index.js';
import { AuditLog } from './audit/index.js';
import { RefusalTally } from './audit/refusals.js';
import { builderFor } from './build/index.js';
import type { Config } from './config/index.js';
import { StagingArea } from './data/index.js';
import {
  brokerIdentityFor,
  dataSourceFor,
  withIdentity,
  jheTokensFor,
  stagingRootFor,
  syntheticExchangeFor
} from './data/from-config.js';
import { DockerExecutor } from './exec/index.js';
import { JobJournal } from './jobs/journal.js';
import { ingressDir } from './jobs/submit.js';
import { Pipeline } from './jobs/pipeline.js';
import { reconcile } from './jobs/reconcile.js';
import { createLogger, type Logger } from './log.js';
import { Metrics } from './metrics.js';
import { PartialFiles } from './partial-files.js';
import { SqliteStore, type IJobRecord } from './store/index.js';
import type { IDisclosureIndex } from './vetting/index.js';
import { OffLoop } from './workers/index.js';

export interface IService {
  server: Server;
  url: string;
  pipeline: Pipeline;
  journal: JobJournal;
  /** Where this service stages decrypted data (tmpfs where the host has it). */
  stagingDir: string;
  close(): Promise<void>;
}

/** hub-service/, when its built facade is there to mount into runs (npm run build makes it). */
export function facadeRoot(log: Logger): string | undefined {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  if (existsSync(join(root, 'lib', 'data', 'facade', 'main.js'))) {
    return root;
  }
  log.warn('hub-service/lib is not built: runs get no JHE facade (run npm run build)');
  return undefined;
}

/** This service's id on the engine and in shared places (/dev/shm): derived from its state folder. */
export const instanceOf = (config: Config) =>
  createHash('sha256').update(config.state_dir).digest('hex').slice(0, 12);

/** Where a service with this config stages data (for tools and tests that look without starting it). */
export const stagingDirOf = (config: Config) => stagingRootFor(config, instanceOf(config));

/** Where each job's collected outputs are kept. */
const outputsRootOf = (config: Config) => join(config.state_dir, 'outputs');

/** The state folder's partial files; a job's outputs and staged data are named by others, so opaque. */
export const partialFilesOf = (config: Config) =>
  new PartialFiles(config.state_dir, [outputsRootOf(config), stagingDirOf(config)]);

export function dockerFor(config: Config): Docker {
  return new Docker({ socketPath: config.executor.socket });
}

export async function startService(
  config: Config,
  log: Logger = createLogger(config.log_level),
  options: { disclosureIndex?: (job: IJobRecord) => IDisclosureIndex } = {}
): Promise<IService> {
  const hub = config.auth.kind === 'jupyterhub' ? hubSettingsFromEnv() : undefined;
  if (config.auth.kind === 'jupyterhub' && !hub) {
    throw new HBrokerError(
      'bad_hub_environment',
      'auth.kind is "jupyterhub" but JUPYTERHUB_API_TOKEN is not set: run hbroker serve as a JupyterHub managed service.'
    );
  }
  const hubClient = hub && new HubClient(hub);
  const jheTokens = jheTokensFor(config, hubClient && new HubJheTokens(hubClient));
  const hubAuthenticator = hub && new HubAuthenticator(hub, hubClient!, config.auth.cache_seconds);
  const store = new SqliteStore(config.store.path);
  const metrics = new Metrics();
  const journal = new JobJournal(store, new AuditLog(store), metrics);
  const docker = dockerFor(config);
  const archiveRoot = join(config.state_dir, 'archive');
  const archive = new LocalArchive(archiveRoot);
  const instance = instanceOf(config);
  const staging = new StagingArea(stagingRootFor(config, instance));
  const executor = new DockerExecutor(
    docker,
    { ...config.executor, instance, facadeRoot: facadeRoot(log) },
    log
  );
  const offLoop = new OffLoop(config, { archiveRoot });
  // Staging runs in a worker thread with the token read here: HBroker's own (broker identity, which
  // also checks the grants and renews a refused token) or the caller's.
  const broker = brokerIdentityFor(config, hubClient);
  const data = withIdentity(offLoop.dataSource(dataSourceFor(config)), broker);
  // Synthetic data for preflights, apart from the staging area of real data; none survives a restart.
  const preflight = config.preflight
    ? new StagingArea(join(config.state_dir, 'preflight'))
    : undefined;
  preflight?.sweep();
  const pipeline = new Pipeline({
    journal,
    archive,
    builder: await builderFor(config, docker),
    staging,
    data,
    jheTokens,
    executor,
    offLoop,
    disclosureIndex: options.disclosureIndex,
    policy: config.release.policy,
    failureDetail: config.vetting.failure_detail,
    outputsRoot: outputsRootOf(config),
    preflight,
    concurrency: config.executor.concurrency,
    metrics,
    log
  });
  journal.audit.record('hbroker', 'service.start', undefined, {
    runtime: config.executor.runtime,
    image: config.executor.image
  });
  await reconcile({
    journal,
    archive,
    executor,
    staging,
    pipeline,
    partials: partialFilesOf(config),
    log
  });
  // Bundles being received when the last process stopped were never accepted: nothing refers to them.
  rmSync(ingressDir(config), { recursive: true, force: true });
  const refusals = new RefusalTally(journal.audit, config.audit.refusal_window_seconds);

  const app = createApp({
    config,
    journal,
    archive,
    data,
    pipeline,
    authenticator: hubAuthenticator ?? new StaticTokenAuthenticator(config.auth.tokens),
    prefix: hub?.prefix ?? '/',
    jheTokens,
    syntheticExchange: syntheticExchangeFor(
      config,
      hubAuthenticator && (token => hubAuthenticator.userOfToken(token)),
      jheTokens,
      broker
    ),
    metrics,
    log,
    refusals,
    health: async () => {
      const checks: Record<string, string> = {};
      try {
        store.ping();
        checks.store = 'ok';
      } catch (e) {
        checks.store = (e as Error).message;
      }
      try {
        await docker.ping();
        checks.engine = 'ok';
      } catch (e) {
        checks.engine = (e as Error).message;
      }
      return checks;
    }
  });
  // A managed service listens where the hub says (JUPYTERHUB_SERVICE_URL).
  const listen = hub ? new URL(hub.serviceUrl) : undefined;
  const host = listen ? listen.hostname : config.listen.host;
  const port = listen ? Number(listen.port || 80) : config.listen.port;
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.on('error', reject);
    // "Expect: 100-continue" is answered by the route, after authentication, not by Node up front.
    s.on('checkContinue', (request, response) => s.emit('request', request, response));
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host}:${bound}${hub?.prefix.replace(/\/$/, '') ?? ''}`;
  log.info({ url }, 'hbroker listening');
  return {
    server,
    url,
    pipeline,
    journal,
    stagingDir: staging.root,
    close: async () => {
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // Running jobs are not canceled: the next start reconciles them, as after a crash.
      pipeline.stop();
      await pipeline.drained();
      await offLoop.close();
      refusals.close();
      store.close();
    }
  };
}
