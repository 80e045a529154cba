// hbroker doctor: is everything a run needs in place? One line per check, exit 1 if any fails.
import { verifyAudit } from '../audit/index.js';
import { builderCheck } from '../build/index.js';
import type { Config } from '../config/index.js';
import { HubClient } from '../api/hub/index.js';
import { dataChecks } from '../data/doctor.js';
import type { DoctorLine } from '../doctor-line.js';
import { dockerFor, partialFilesOf } from '../service.js';
import { SqliteStore } from '../store/index.js';
import { hubRoleChecks } from './hub-roles.js';

const policies: Record<string, string> = {
  auto: 'what passes every automatic check leaves without a person; the rest is withheld',
  one: 'one output checker decides every output',
  review: 'one output checker decides every output (the earlier name of "one")',
  two: 'two output checkers review independently; both must approve'
};

/** `where`: how the config was found (or that none was, and where doctor looked). */
export async function doctorCommand(config: Config, where?: string): Promise<number> {
  const results: DoctorLine[] = [];
  if (where) {
    results.push([undefined, where]);
  }
  const policy = config.release.policy;
  results.push([undefined, `release policy "${policy}": ${policies[policy] ?? 'unknown'}`]);
  const runtime = config.executor.runtime;
  results.push([
    undefined,
    `sandbox runtime "${runtime}": ${runtime === 'runsc' ? 'gVisor, a user-space kernel between the job and the host' : runtime === 'runc' ? 'standard containers (set executor.runtime to "runsc" for gVisor)' : 'as configured'}`
  ]);
  const docker = dockerFor(config);
  try {
    const version = await docker.version();
    results.push([true, `Docker engine ${version.Version} answers at ${config.executor.socket}`]);
    const info = await docker.info();
    const runtimes = Object.keys(info.Runtimes ?? {});
    results.push([
      runtimes.includes(config.executor.runtime),
      `runtime "${config.executor.runtime}" ${runtimes.includes(config.executor.runtime) ? 'is' : 'is not'} registered (engine has: ${runtimes.join(', ')})`
    ]);
    try {
      const image = await docker.getImage(config.executor.image).inspect();
      results.push([
        true,
        `run base image ${config.executor.image} is present (${image.Id.slice(0, 19)})`
      ]);
    } catch {
      results.push([
        false,
        `run base image ${config.executor.image} is missing: run the set-up (npm start)`
      ]);
    }
  } catch (e) {
    results.push([
      false,
      `no Docker engine answers at ${config.executor.socket} (${(e as Error).message}): start dockerd`
    ]);
  }
  results.push(await builderCheck(config));
  try {
    const store = new SqliteStore(config.store.path);
    const audit = verifyAudit(store.audit());
    store.close();
    results.push([true, `store opens: ${config.store.path}`]);
    results.push([
      audit.ok,
      audit.ok
        ? `audit chain intact (${audit.entries} entries)`
        : `audit chain broken: ${audit.problems[0]}`
    ]);
  } catch (e) {
    results.push([false, `store does not open: ${(e as Error).message}`]);
  }
  results.push(...(await dataChecks(config, hubForDoctor())));
  results.push(partialFilesCheck(config));
  results.push([
    config.auth.tokens.length > 0 || config.auth.kind === 'jupyterhub',
    config.auth.kind === 'jupyterhub'
      ? `callers sign in through JupyterHub; ${config.auth.tokens.length} static API token(s) besides`
      : `${config.auth.tokens.length} API token(s) configured`
  ]);
  results.push(...(await hubRoleChecks()));
  for (const [ok, line] of results) {
    console.log(
      `${ok === undefined ? 'info' : ok === 'warn' ? 'WARN' : ok ? 'ok  ' : 'FAIL'} ${line}`
    );
  }
  const warnings = results.filter(([ok]) => ok === 'warn').length;
  if (warnings > 0) {
    console.log(`${warnings} warning(s): read each WARN line; they do not fail doctor.`);
  }
  return results.every(([ok]) => ok !== false) ? 0 : 1;
}

/**
 * The hub, when doctor runs with a hub API token (JUPYTERHUB_API_URL, JUPYTERHUB_API_TOKEN with
 * read:users and admin:auth_state), so it can check every hub user's own JHE token.
 */
function hubForDoctor(env = process.env): HubClient | undefined {
  if (!env.JUPYTERHUB_API_URL || !env.JUPYTERHUB_API_TOKEN) {
    return undefined;
  }
  return new HubClient({
    apiUrl: env.JUPYTERHUB_API_URL.replace(/\/+$/, ''),
    apiToken: env.JUPYTERHUB_API_TOKEN,
    prefix: '/',
    serviceUrl: '',
    clientId: '',
    serviceName: 'hbroker',
    callbackUrl: '',
    authorizeUrl: ''
  });
}

/** Half-written files a crash left behind; one still being written by a running service is fine. */
function partialFilesCheck(config: Config): [boolean, string] {
  const partial = partialFilesOf(config).find();
  const left = partial.filter(p => !p.writing);
  if (left.length > 0) {
    const named = left.slice(0, 3).map(p => p.path);
    return [
      false,
      `${left.length} partial file(s) left in the state folder by a service that stopped while writing them (${named.join(', ')}${left.length > named.length ? ', …' : ''}): the next start of hbroker serve removes them`
    ];
  }
  return [
    true,
    partial.length > 0
      ? `no partial files left in the state folder (${partial.length} being written now)`
      : 'no partial files left in the state folder'
  ];
}
