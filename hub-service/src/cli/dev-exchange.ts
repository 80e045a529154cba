// `hbroker dev-exchange`: runs the DEV-ONLY JupyterHealth Exchange stand-in for the demo and tests.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generatePartnerKeysets, parseKeyset } from '../data/tink/index.js';
import { readSecretFile } from '../data/from-config.js';
import { startDevExchange } from '../dev-exchange/index.js';
import { HBrokerError } from '../errors.js';

export interface IDevExchangeCommandOptions {
  host: string;
  port: string;
  stateDir: string;
  patients: string;
  perPatient: string;
  json?: boolean;
  /** `client_id=redirect_uri`: public sign-in clients and their exact callbacks. */
  client?: string[];
}

/** `id=uri` pairs to clients, one per id, each with every URI given for it. */
export function signInClients(
  pairs: string[] = []
): { clientId: string; redirectUris: string[] }[] {
  const clients = new Map<string, string[]>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1 || !URL.canParse(pair.slice(eq + 1))) {
      throw new HBrokerError(
        'bad_arguments',
        `--client ${pair} is not client_id=redirect_uri: give e.g. --client my-hub=http://127.0.0.1:8000/hub/oauth_callback`
      );
    }
    clients.set(pair.slice(0, eq), [...(clients.get(pair.slice(0, eq)) ?? []), pair.slice(eq + 1)]);
  }
  return [...clients].map(([clientId, redirectUris]) => ({ clientId, redirectUris }));
}

/** Keys and the demo password live in the state folder, made once, so a restart keeps them. */
function prepare(stateDir: string) {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const privateKeyset = join(stateDir, 'partner-private-keyset.json');
  const publicKeyset = join(stateDir, 'partner-public-keyset.json');
  if (!existsSync(privateKeyset)) {
    const keys = generatePartnerKeysets();
    writeFileSync(privateKeyset, keys.privateKeyset, { mode: 0o600, flag: 'wx' });
    writeFileSync(publicKeyset, keys.publicKeyset, { mode: 0o644 });
  }
  const passwordFile = join(stateDir, 'password');
  if (!existsSync(passwordFile)) {
    const password =
      process.env.HBROKER_DEV_EXCHANGE_PASSWORD ?? randomBytes(12).toString('base64url');
    writeFileSync(passwordFile, password, { mode: 0o600, flag: 'wx' });
  }
  return { privateKeyset, publicKeyset, passwordFile };
}

export async function devExchangeCommand(options: IDevExchangeCommandOptions): Promise<number> {
  const stateDir = resolve(options.stateDir);
  const files = prepare(stateDir);
  const exchange = await startDevExchange({
    host: options.host,
    port: Number(options.port),
    password: readSecretFile(files.passwordFile, 'dev exchange password'),
    partnerPublic: parseKeyset(readFileSync(files.publicKeyset, 'utf8')),
    patients: Number(options.patients),
    perPatientPerCode: Number(options.perPatient),
    seed: 'hbroker-demo',
    clients: signInClients(options.client)
  });
  if (options.json) {
    console.log(
      JSON.stringify({
        url: exchange.url,
        partner_keyset: files.privateKeyset,
        password_file: files.passwordFile,
        users: exchange.data.users.map(u => u.username)
      })
    );
  } else {
    console.log(
      `DEV ONLY: HBroker's JupyterHealth Exchange stand-in, synthetic demo data, at ${exchange.url}`
    );
    console.log(
      `  never point it at real data; studies: ${exchange.data.studies.map(s => `${s.study.id} ${s.study.name}`).join(', ')}`
    );
    console.log(
      `  users: ${exchange.data.users.map(u => u.username).join(', ')} (password in ${files.passwordFile})`
    );
    console.log(`  records are CommonHealth-encrypted to ${files.publicKeyset}`);
  }
  await new Promise<void>(done => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await exchange.close();
  return 0;
}
