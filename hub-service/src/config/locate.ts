// Where the service's config file is, as `hbroker serve` finds it (--config, then $HBROKER_CONFIG),
// and, for commands an admin runs in a terminal without either, the usual places it is kept.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ILocatedConfig {
  /** The file to read, or undefined: the built-in defaults. */
  path?: string;
  /** How it was found, in words ("--config", "$HBROKER_CONFIG", "found at …"). */
  source: string;
  /** Every place looked at, in order, for saying so when none holds a config. */
  looked: string[];
}

/** The repository (or installed package) root: hub-service/{src,lib}/config/ is three levels down. */
const packageRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The usual places: the working folder, the `npm start` stack, and the system-wide file. */
export function usualConfigPlaces(cwd = process.cwd(), root = packageRoot): string[] {
  return [
    join(cwd, 'hbroker.config.json'),
    join(root, '.hbroker', 'stack', 'hbroker.config.json'),
    '/etc/hbroker/config.json'
  ];
}

export function locateConfig(
  option: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  places = usualConfigPlaces()
): ILocatedConfig {
  if (option) {
    return { path: resolve(option), source: '--config', looked: ['--config'] };
  }
  if (env.HBROKER_CONFIG) {
    return {
      path: resolve(env.HBROKER_CONFIG),
      source: '$HBROKER_CONFIG',
      looked: ['$HBROKER_CONFIG']
    };
  }
  const looked = ['--config', '$HBROKER_CONFIG', ...places];
  const found = places.find(p => existsSync(p));
  return found
    ? { path: found, source: `found at ${found}`, looked }
    : { source: 'none found', looked };
}
