// Bundles a notebook's folder for submission: regular files only, hbroker-ignore.txt and
// .hbrokerignore honoured (bundle/rules.ts, as the lab extension does).
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { findEnvironment } from '../build/spec.js';
import type { IBundleFile } from '../bundle/index.js';
import { bundleRules, ignoreFileName, ignoreFileNames, isIgnored } from '../bundle/rules.js';
import { HBrokerError } from '../errors.js';

export interface ILocalBundle {
  root: string;
  notebook: string;
  files: IBundleFile[];
  environment: string[];
}

export function bundleNotebookFolder(notebookPath: string): ILocalBundle {
  if (!existsSync(notebookPath) || !notebookPath.endsWith('.ipynb')) {
    throw new HBrokerError(
      'no_notebook',
      `${notebookPath} is not a notebook file (.ipynb). Give the path of the notebook to run.`
    );
  }
  const root = dirname(notebookPath);
  const rules = bundleRules(
    ...ignoreFileNames
      .map(name => join(root, name))
      .map(file => (existsSync(file) ? readFileSync(file, 'utf8') : undefined))
  );
  const files: IBundleFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1
    )) {
      const full = join(dir, entry.name);
      const rel = relative(root, full).split(sep).join('/');
      if (isIgnored(rules, rel, entry.isDirectory())) {
        continue;
      }
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) {
        throw new HBrokerError(
          'symlink_in_bundle',
          `${rel} is a symbolic link; bundles hold regular files only. Copy the file in, or add it to ${ignoreFileName}.`
        );
      }
      if (stat.isDirectory()) {
        walk(full);
      } else if (stat.isFile()) {
        files.push({
          path: rel,
          mode: stat.mode & 0o111 ? 0o755 : 0o644,
          content: readFileSync(full)
        });
      }
    }
  };
  walk(root);
  // The service applies the same rules at submission; applying them here fails early and offline.
  const environment = findEnvironment(files).files.map(f => f.path);
  return { root, notebook: basename(notebookPath), files, environment };
}
