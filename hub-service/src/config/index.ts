// Loads hbroker.config.json, checks it against schema/service-config.schema.json and fills defaults.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HBrokerError } from '../errors.js';
import { validate, type Resources, type ServiceConfig } from '../schema/index.js';

type DeepRequired<T> = T extends (infer U)[]
  ? DeepRequired<U>[]
  : T extends object
    ? { [K in keyof T]-?: DeepRequired<NonNullable<T[K]>> }
    : T;

export type Config = DeepRequired<Omit<ServiceConfig, 'limits'>> & {
  limits: {
    bundle_mb: number;
    bundle_files: number;
    runs_per_day: number;
    notebook_mb: number;
    notebook_depth: number;
    concurrent_submissions: number;
    caller_inflight_mb: number;
    default: Required<Resources>;
    max: Required<Resources>;
  };
  /** Folder the config's relative paths are resolved against. */
  base_dir: string;
};

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const defaultResources: Required<Resources> = { cpus: 1, memory_mb: 1024, timeout_seconds: 600 };
const maxResources: Required<Resources> = { cpus: 2, memory_mb: 4096, timeout_seconds: 3600 };

/** The base image the set-up built, unless HBROKER_IMAGE names another. */
function defaultImage(): string {
  if (process.env.HBROKER_IMAGE) {
    return process.env.HBROKER_IMAGE;
  }
  const tagFile = join(repoRoot, '.hbroker', 'base-image-tag');
  return existsSync(tagFile) ? readFileSync(tagFile, 'utf8').trim() : 'hbroker-run-base:latest';
}

export function parseConfig(raw: unknown, baseDir: string): Config {
  const value = structuredClone(raw ?? {}) as Record<string, any>;
  // Nested objects must exist for ajv to fill their defaults.
  for (const key of [
    'listen',
    'store',
    'auth',
    'executor',
    'build',
    'limits',
    'data',
    'vetting',
    'release',
    'audit'
  ]) {
    value[key] ??= {};
  }
  if (typeof value.data === 'object' && value.data !== null) {
    value.data.synthetic ??= {};
  }
  const config = validate<ServiceConfig>('service-config.schema.json', value, 'config', {
    defaults: true
  }) as any;
  const at = (p: string) => resolve(baseDir, p);
  config.base_dir = baseDir;
  config.state_dir = at(config.state_dir);
  config.store.path = config.store.path
    ? at(config.store.path)
    : join(config.state_dir, 'hbroker.sqlite');
  config.data.studies_dir = at(config.data.studies_dir);
  if (config.data.synthetic_dir) {
    config.data.synthetic_dir = at(config.data.synthetic_dir);
  }
  if (config.data.jhe) {
    if (config.data.jhe.partner_keyset) {
      config.data.jhe.partner_keyset = at(config.data.jhe.partner_keyset);
    }
    for (const [user, file] of Object.entries(config.data.jhe.token_files ?? {})) {
      config.data.jhe.token_files[user] = at(file as string);
    }
    if (config.data.jhe.client_key_file) {
      config.data.jhe.client_key_file = at(config.data.jhe.client_key_file);
    }
    if (config.data.jhe.identity === 'broker' && !config.data.jhe.client_key_file) {
      throw new HBrokerError(
        'bad_config',
        'data.jhe.identity is "broker" but data.jhe.client_key_file is not set: create a practitioner client in the exchange (POST /api/v1/practitioner_clients) and put its key in a file only the service can read.'
      );
    }
  } else if (config.data.kind === 'jhe') {
    throw new HBrokerError(
      'bad_config',
      'data.kind is "jhe" but data.jhe.url is not set: give the exchange\'s URL.'
    );
  }
  config.auth.tokens ??= [];
  config.auth.kind ??= process.env.JUPYTERHUB_API_TOKEN ? 'jupyterhub' : 'static';
  config.executor.image ??= defaultImage();
  // Under auto nobody reads a run before it leaves, so a failure says less by default (docs/vetting.md).
  config.vetting.failure_detail ??= config.release.policy === 'auto' ? 'none' : 'cell';
  config.limits.default = { ...defaultResources, ...config.limits.default };
  config.limits.max = { ...maxResources, ...config.limits.max };
  return config as Config;
}

/** Reads the config file named by the argument, $HBROKER_CONFIG, or none (all defaults). */
export function loadConfig(path = process.env.HBROKER_CONFIG): Config {
  if (!path) {
    return parseConfig({}, process.cwd());
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new HBrokerError(
      'bad_config',
      `Cannot read the config file ${path}: ${(e as Error).message}. Give a readable JSON file.`
    );
  }
  return parseConfig(raw, dirname(resolve(path)));
}
