// Chooses the data parts from config: the source, where users' JHE tokens come from, the staging root.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { HBrokerError } from '../errors.js';
import { BrokerIdentitySource } from './broker-source.js';
import {
  byHubUser,
  throughBrokerGrants,
  throughUserJheToken,
  type IExchangeResolver
} from './exchange-access.js';
import { StudyGrants, type IUserGroups } from './grants.js';
import { BrokerToken } from './jhe/broker-token.js';
import type { IDataSource, IJheTokens } from './index.js';
import { defaultJheClientOptions, JheDataSource, type IJheClientOptions } from './jhe/index.js';
import { LocalDirectorySource } from './local.js';
import { SyntheticExchange, SyntheticStudies } from './synthetic-exchange.js';
import { parseKeyset } from './tink/index.js';

/** A secret file must be the service's alone: refuse one that others can read. */
export function readSecretFile(path: string, what: string): string {
  if (!existsSync(path)) {
    throw new HBrokerError('bad_config', `The ${what} file ${path} does not exist.`);
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    throw new HBrokerError(
      'bad_config',
      `The ${what} file ${path} can be read by other users: chmod 600 it.`
    );
  }
  return readFileSync(path, 'utf8').trim();
}

export function jheClientOptions(config: Config): IJheClientOptions {
  const jhe = config.data.jhe;
  return {
    ...defaultJheClientOptions,
    timeoutMs: (jhe?.timeout_seconds ?? 30) * 1000,
    retries: jhe?.retries ?? defaultJheClientOptions.retries
  };
}

/** HBroker's own JHE identity and its grants (data.jhe.identity "broker"), made once per service. */
export interface IBrokerIdentity {
  token: BrokerToken;
  grants: StudyGrants;
}

export function brokerIdentityFor(
  config: Config,
  groups?: IUserGroups
): IBrokerIdentity | undefined {
  const jhe = config.data.jhe;
  if (config.data.kind !== 'jhe' || jhe?.identity !== 'broker' || !jhe.client_key_file) {
    return undefined;
  }
  return {
    token: new BrokerToken(
      jhe.url,
      readSecretFile(jhe.client_key_file, "HBroker's JHE client key"),
      (jhe.timeout_seconds ?? 30) * 1000
    ),
    grants: new StudyGrants(jhe.grants ?? [], groups)
  };
}

export function dataSourceFor(config: Config, broker?: IBrokerIdentity): IDataSource {
  const jhe = config.data.jhe;
  if (config.data.kind !== 'jhe' || !jhe) {
    return new LocalDirectorySource(config.data.studies_dir, config.data.synthetic_dir);
  }
  const source = new JheDataSource({
    url: jhe.url,
    partnerKeyset: jhe.partner_keyset
      ? parseKeyset(readSecretFile(jhe.partner_keyset, 'partner keyset'))
      : undefined,
    client: jheClientOptions(config),
    synthetic: new SyntheticStudies(config.data.synthetic!)
  });
  return withIdentity(source, broker);
}

/** The source read as HBroker itself when a broker identity is configured, else as the caller. */
export function withIdentity(source: IDataSource, broker?: IBrokerIdentity): IDataSource {
  return broker ? new BrokerIdentitySource(source, broker.token, broker.grants) : source;
}

/** Outside JupyterHub: each user's JHE token from a file the admin wrote (data.jhe.token_files). */
export class FileJheTokens implements IJheTokens {
  constructor(private files: Record<string, string>) {}

  async get(user: string): Promise<string | undefined> {
    const file = this.files[user];
    return file ? readSecretFile(file, `JHE token of ${user}`) : undefined;
  }
}

/** Where users' JHE tokens come from: the hub's auth_state, else the admin's token files, else nowhere. */
export function jheTokensFor(config: Config, hub?: IJheTokens): IJheTokens | undefined {
  return (
    hub ??
    (config.data.jhe?.token_files ? new FileJheTokens(config.data.jhe.token_files) : undefined)
  );
}

/**
 * The synthetic exchange at {prefix}jhe/, when the data comes from a JHE. Under JupyterHub (`userOfToken`)
 * callers present their hub token and their JHE token comes from the hub; else they present a JHE token.
 */
export function syntheticExchangeFor(
  config: Config,
  userOfToken?: (token: string) => Promise<string | undefined>,
  tokens?: IJheTokens,
  broker?: IBrokerIdentity
): IExchangeResolver | undefined {
  const jhe = config.data.jhe;
  if (config.data.kind !== 'jhe' || !jhe) {
    return undefined;
  }
  const exchange = new SyntheticExchange(
    jhe.url,
    jheClientOptions(config),
    new SyntheticStudies(config.data.synthetic!),
    config.auth.cache_seconds
  );
  if (userOfToken && broker) {
    return byHubUser(userOfToken, throughBrokerGrants(exchange, broker.token, broker.grants));
  }
  return userOfToken && tokens
    ? byHubUser(userOfToken, throughUserJheToken(exchange, tokens))
    : exchange;
}

/** Decrypted data stays in memory-backed tmpfs where the host has /dev/shm, never on a disk. */
export function stagingRootFor(config: Config, instance: string): string {
  if (config.data.staging === 'tmpfs' && existsSync('/dev/shm')) {
    return join('/dev/shm', `hbroker-staging-${instance}`);
  }
  return join(config.state_dir, 'staging');
}
