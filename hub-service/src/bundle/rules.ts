// Which files of a notebook's folder a bundle holds and which are its environment: the pure rules,
// shared by the CLI (reading the disk) and the lab extension (reading the Contents API).
import ignore, { type Ignore } from 'ignore';

/** Never worth sending: checkpoints, caches, VCS data and results brought back earlier. */
export const alwaysIgnored = [
  '.ipynb_checkpoints/',
  '__pycache__/',
  '.git/',
  '.venv/',
  'node_modules/',
  'sensitive-results/',
  '.DS_Store'
];

/**
 * Files in a notebook's folder whose lines, like .gitignore's, keep files out of the bundle: first a
 * visible name, which JupyterLab's file browser lists and opens (its server hides dot-files from
 * the extension), then the dot-file `hbroker submit` always read. Both apply when both exist.
 */
export const ignoreFileNames = ['hbroker-ignore.txt', '.hbrokerignore'] as const;

/** The name advice gives: the one every client sees. */
export const ignoreFileName = ignoreFileNames[0];

/**
 * repo2docker's configuration files, for showing a folder's environment before submission (the lab
 * extension); the service's builder (build/spec.ts) decides what a spec means and refuses what it
 * cannot honour. Listed in the order the builder builds their parts.
 */
export const environmentFiles = [
  'Dockerfile',
  'apt.txt',
  'environment.yml',
  'runtime.txt',
  'install.R',
  'DESCRIPTION',
  'Project.toml',
  'Pipfile',
  'Pipfile.lock',
  'requirements.txt',
  'setup.py',
  'pyproject.toml',
  'postBuild',
  'start'
] as const;

/** The ignore rules of a folder: the fixed ones plus the text of its ignore files, if any. */
export function bundleRules(...ignoreTexts: (string | undefined)[]): Ignore {
  const rules = ignore().add(alwaysIgnored);
  for (const text of ignoreTexts) {
    if (text) {
      rules.add(text);
    }
  }
  return rules;
}

/** Whether a path relative to the folder (folders without a trailing slash) stays out of the bundle. */
export function isIgnored(rules: Ignore, path: string, isDirectory: boolean): boolean {
  return rules.ignores(isDirectory ? `${path}/` : path);
}

/** The repo2docker files among a bundle's paths; binder/ or .binder/ wins over the root, as in repo2docker. */
export function environmentFilesIn(paths: string[]): string[] {
  const present = new Set(paths);
  const configDir = ['binder', '.binder'].find(d => paths.some(p => p.startsWith(`${d}/`)));
  return environmentFiles
    .map(name => (configDir ? `${configDir}/${name}` : name))
    .filter(p => present.has(p));
}
