// hbroker reproduce <job>: re-run a job on its image and dataset version; report each output's hash.
import { join } from 'node:path';
import { HubClient, HubJheTokens, hubSettingsFromEnv } from '../api/hub/index.js';
import { LocalArchive } from '../archive/index.js';
import { reproduceJob, type IReproduction } from '../archive/reproduce.js';
import { AuditLog } from '../audit/index.js';
import { builderFor } from '../build/index.js';
import type { Config } from '../config/index.js';
import { brokerIdentityFor, dataSourceFor, jheTokensFor } from '../data/from-config.js';
import { StagingArea } from '../data/index.js';
import { DockerExecutor } from '../exec/index.js';
import { createLogger } from '../log.js';
import { dockerFor, facadeRoot, instanceOf, stagingDirOf } from '../service.js';
import { SqliteStore } from '../store/index.js';

const short = (hash?: string) => (hash ? `${hash.replace(/^sha256:/, '').slice(0, 12)}…` : '-');

function report(r: IReproduction): string[] {
  const lines = [
    r.image.rebuilt
      ? `image: gone from the engine; rebuilt from the archived spec as ${short(r.image.used)}, which ${r.image.matched ? 'matches' : 'does not match'} the archived digest ${short(r.image.archived)}${r.image.matched ? '' : ' (a rebuild fetches packages anew and stamps new times)'}`
      : `image: the archived image ${short(r.image.archived)}, still on the engine`,
    ...(r.base
      ? [
          r.base.used === r.base.archived
            ? `base image: the archived one, ${short(r.base.archived)}`
            : `base image: the archived ${short(r.base.archived)} is gone; rebuilt on the current ${short(r.base.used)}`
        ]
      : []),
    `dataset: study ${r.dataset.study}, version ${short(r.dataset.sha256)}, the same as archived`,
    `run: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`
  ];
  for (const o of r.outputs) {
    const detail =
      o.verdict === 'differs'
        ? `archived ${short(o.archived)}, now ${short(o.now)}`
        : `sha256 ${short(o.now ?? o.archived)}`;
    lines.push(`  ${o.verdict.toUpperCase().padEnd(8)} ${o.path}  (${detail})`);
  }
  const differing = r.outputs.filter(o => o.verdict !== 'match').length;
  lines.push(
    r.matched
      ? `all ${r.outputs.length} outputs match`
      : `${differing} of ${r.outputs.length} outputs do not match`
  );
  return lines;
}

export async function reproduceCommand(
  config: Config,
  jobId: string,
  options: { json?: boolean }
): Promise<number> {
  const log = createLogger('warn');
  const hub = hubSettingsFromEnv();
  const docker = dockerFor(config);
  const archive = new LocalArchive(join(config.state_dir, 'archive'));
  const instance = instanceOf(config);
  // Its own instance label: a service restarting meanwhile never removes this sandbox as an orphan.
  const executor = new DockerExecutor(
    docker,
    { ...config.executor, instance: `${instance}-reproduce`, facadeRoot: facadeRoot(log) },
    log
  );
  const result = await reproduceJob(
    {
      archive,
      docker,
      builder: await builderFor(config, docker),
      staging: new StagingArea(stagingDirOf(config)),
      // With data.jhe.identity broker, HBroker's own JHE identity and grants, as in the service.
      data: dataSourceFor(config, brokerIdentityFor(config, hub && new HubClient(hub))),
      executor,
      // Data is read as the job's owner; under JupyterHub their JHE token comes from the hub, as in the service.
      jheTokens: jheTokensFor(config, hub && new HubJheTokens(new HubClient(hub))),
      onLog: options.json ? undefined : line => console.log(`  | ${line}`)
    },
    jobId
  );
  const store = new SqliteStore(config.store.path);
  try {
    new AuditLog(store).record('hbroker', 'job.reproduced', jobId, {
      image_matched: result.image.matched,
      image_rebuilt: result.image.rebuilt,
      outcome: result.outcome,
      outputs: result.outputs.map(o => ({ path: o.path, verdict: o.verdict }))
    });
  } finally {
    store.close();
  }
  if (options.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    console.log(`reproduced job ${jobId}`);
    report(result).forEach(line => console.log(line));
  }
  return result.matched ? 0 : 1;
}
