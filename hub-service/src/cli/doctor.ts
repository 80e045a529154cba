// hbroker doctor: is everything a run needs in place? One line per check, exit 1 if any fails.
import { verifyAudit } from '../audit/index.js';
import { builderCheck } from '../build/index.js';
import type { Config } from '../config/index.js';
import { dataChecks } from '../data/doctor.js';
import { dockerFor } from '../service.js';
import { SqliteStore } from '../store/index.js';
import { hubRoleChecks, type DoctorLine } from './hub-roles.js';

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
  results.push(...(await dataChecks(config)));
  results.push([
    config.auth.tokens.length > 0 || config.auth.kind === 'jupyterhub',
    config.auth.kind === 'jupyterhub'
      ? `callers sign in through JupyterHub; ${config.auth.tokens.length} static API token(s) besides`
      : `${config.auth.tokens.length} API token(s) configured`
  ]);
  results.push(...(await hubRoleChecks()));
  for (const [ok, line] of results) {
    console.log(`${ok === undefined ? 'info' : ok ? 'ok  ' : 'FAIL'} ${line}`);
  }
  return results.every(([ok]) => ok !== false) ? 0 : 1;
}
