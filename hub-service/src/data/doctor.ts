// hbroker doctor's data lines: is the study source there, the partner key private and usable, JHE reachable?
import { existsSync } from 'node:fs';
import type { Config } from '../config/index.js';
import { readSecretFile } from './from-config.js';
import { parseKeyset } from './tink/index.js';

export async function dataChecks(config: Config): Promise<[boolean, string][]> {
  const jhe = config.data.jhe;
  if (config.data.kind !== 'jhe' || !jhe) {
    const dir = config.data.studies_dir;
    return [
      [existsSync(dir), `studies folder ${dir} ${existsSync(dir) ? 'exists' : 'is missing'}`]
    ];
  }
  const lines: [boolean, string][] = [];
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
  return lines;
}
