// What counts as a job's environment spec: repo2docker's files, found by repo2docker's folder rules.
import { canonicalJson } from '../audit/index.js';
import { sha256, type IBundleFile } from '../bundle/index.js';
import { environmentFiles } from '../bundle/rules.js';
import { badRequest } from '../errors.js';

/** repo2docker's configuration files, in the order their parts are built (one list, browser-safe). */
export const specFileNames = environmentFiles;

export type SpecFileName = (typeof specFileNames)[number];

export interface ISpecFile {
  /** The file's name, as repo2docker knows it (requirements.txt, postBuild, …). */
  name: SpecFileName;
  /** Where it is in the bundle (binder/requirements.txt, …). */
  path: string;
  content: Buffer;
}

export interface IEnvironment {
  /** The folder the spec was read from: '' (the bundle root), 'binder' or '.binder'. */
  dir: '' | 'binder' | '.binder';
  files: ISpecFile[];
  /** SHA-256 of the files' names and contents: the same spec in binder/ or the root hashes alike. */
  sha256: string;
}

/**
 * Finds the spec with repo2docker's rules: a binder/ or .binder/ folder wins over the root, both is
 * an error, and a Dockerfile overrides every other file.
 */
export function findEnvironment(files: IBundleFile[]): IEnvironment {
  const folders = (['binder', '.binder'] as const).filter(d =>
    files.some(f => f.path.startsWith(`${d}/`))
  );
  if (folders.length > 1) {
    throw badRequest(
      'ambiguous_environment',
      'The folder has both binder/ and .binder/; repo2docker reads only one. Keep the environment files in one of them and remove the other.'
    );
  }
  const dir = folders[0] ?? '';
  const byPath = new Map(files.map(f => [f.path, f]));
  let found: ISpecFile[] = specFileNames.flatMap(name => {
    const path = dir ? `${dir}/${name}` : name;
    const file = byPath.get(path);
    return file ? [{ name, path, content: file.content }] : [];
  });
  if (found.some(f => f.name === 'Dockerfile')) {
    found = found.filter(f => f.name === 'Dockerfile');
  }
  return { dir, files: found, sha256: specSha256(found) };
}

export const specSha256 = (files: Pick<ISpecFile, 'name' | 'content'>[]) =>
  sha256(canonicalJson(files.map(f => [f.name, sha256(f.content)])));
