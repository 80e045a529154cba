// hbroker doctor's data lines: is the study source there, the partner key private and usable, JHE reachable?
import { existsSync } from 'node:fs';
import type { Config } from '../config/index.js';
import { HubClient, HubJheTokens } from '../api/hub/index.js';
import {
  brokerIdentityFor,
  jheClientOptions,
  readSecretFile,
  type IBrokerIdentity
} from './from-config.js';
import { JheClient, type JheRequestError } from './jhe/index.js';
import { protectionLines, type DoctorLine } from './protection.js';
import { parseKeyset } from './tink/index.js';

/**
 * `hub`: read every hub user's JHE token from auth_state (when doctor runs with a hub token that has
 * read:users and admin:auth_state in JUPYTERHUB_API_URL and JUPYTERHUB_API_TOKEN).
 */
export async function dataChecks(config: Config, hub?: HubClient): Promise<DoctorLine[]> {
  const jhe = config.data.jhe;
  if (config.data.kind !== 'jhe' || !jhe) {
    const dir = config.data.studies_dir;
    return [
      [existsSync(dir), `studies folder ${dir} ${existsSync(dir) ? 'exists' : 'is missing'}`]
    ];
  }
  const lines: DoctorLine[] = [];
  if (jhe.partner_keyset) {
    try {
      const keys = parseKeyset(readSecretFile(jhe.partner_keyset, 'partner keyset'));
      lines.push([
        true,
        `partner keyset ${jhe.partner_keyset}: ${keys.keys.length} key(s), mode 0600`
      ]);
    } catch (e) {
      lines.push([false, `partner keyset: ${(e as Error).message}`]);
    }
  } else {
    lines.push([true, 'no partner keyset: studies with CommonHealth-encrypted records will fail']);
  }
  if (new URL(jhe.url).protocol === 'http:' && !loopback(jhe.url)) {
    lines.push([
      'warn',
      `the exchange's URL ${jhe.url} is plain http: tokens and study data cross the network unencrypted; use https`
    ]);
  }
  // Without a token JHE must answer 401 in its own words: reachable, and an exchange.
  try {
    const response = await fetch(new URL('api/v1/users/profile', jhe.url), {
      signal: AbortSignal.timeout((jhe.timeout_seconds ?? 30) * 1000)
    });
    lines.push([
      response.status === 401,
      `JupyterHealth Exchange at ${jhe.url} ${response.status === 401 ? 'answers' : `answered ${response.status} where 401 was expected`}`
    ]);
  } catch (e) {
    lines.push([
      false,
      `JupyterHealth Exchange at ${jhe.url} does not answer: ${(e as Error).message}`
    ]);
  }
  const broker = brokerIdentityFor(config, hub);
  if (broker) {
    lines.push(...(await brokerLines(config, broker)));
  }
  const researchers = await researcherTokens(config, hub);
  lines.push(
    ...(await protectionLines(
      jhe.url,
      jheClientOptions(config),
      researchers,
      broker?.grants.studies
    ))
  );
  return lines;
}

const loopback = (url: string) =>
  ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

/** HBroker's own identity: does its client get a token, and can it read every study it grants? */
async function brokerLines(config: Config, broker: IBrokerIdentity): Promise<DoctorLine[]> {
  const url = config.data.jhe!.url;
  let token: string;
  try {
    token = await broker.token.get();
  } catch (e) {
    return [[false, `HBroker's own JHE client: ${(e as Error).message}`]];
  }
  const jhe = new JheClient(url, token, jheClientOptions(config));
  const lines: DoctorLine[] = [];
  try {
    const me = await jhe.get<{ email: string }>('api/v1/users/profile');
    lines.push([true, `HBroker's own JHE client gets a token; it acts as ${me.email}`]);
  } catch (e) {
    return [[false, `HBroker's own JHE token is refused: ${(e as Error).message}`]];
  }
  for (const study of broker.grants.studies) {
    try {
      await jhe.get(`api/v1/studies/${study}`);
      lines.push([true, `HBroker's own JHE account reads granted study ${study}`]);
    } catch (e) {
      lines.push([
        false,
        `HBroker's own JHE account cannot read granted study ${study} (${(e as JheRequestError).status ?? (e as Error).message}): add it to the study's organization in JHE, or remove the grant`
      ]);
    }
  }
  return lines;
}

/** Researchers and their own JHE tokens: the admin's token files, and every hub user's auth_state. */
async function researcherTokens(
  config: Config,
  hub: HubClient | undefined
): Promise<{ user: string; token: string | undefined }[]> {
  const found = new Map<string, string | undefined>();
  for (const [user, file] of Object.entries(config.data.jhe?.token_files ?? {})) {
    try {
      found.set(user, readSecretFile(file, `JHE token of ${user}`));
    } catch {
      found.set(user, undefined);
    }
  }
  if (hub) {
    const tokens = new HubJheTokens(hub);
    for (const user of await hub.userNames()) {
      found.set(user, await tokens.get(user));
    }
  }
  return [...found].map(([user, token]) => ({ user, token }));
}
