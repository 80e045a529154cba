// The validate stage for bundles: check the manifest's names, the received files and the notebook.
import { createHash } from 'node:crypto';
import tar from 'tar-stream';
import { badRequest } from '../errors.js';
import type { JobManifest } from '../schema/index.js';
import { checkNotebook, checkNotebookSize, type INotebookLimits } from './notebook.js';
import { safeRelativePath, shownPath } from './paths.js';
import { readReceived, type IReceivedBundle } from './receive.js';

export { pathLimits, safeRelativePath, shownPath } from './paths.js';
export * from './hidden-characters.js';
export { checkNotebook, jsonDepth, type INotebookLimits } from './notebook.js';
export {
  discardBundle,
  receiveBundle,
  type IBundleLimits,
  type IReceivedBundle,
  type IReceivedFile
} from './receive.js';

export interface IBundleFile {
  path: string;
  mode: number;
  content: Buffer;
}

const refuse = (message: string) => badRequest('invalid_bundle', message);

/** Checks the manifest's names before any of the bundle is read: the notebook's path and each output's. */
export function checkManifestNames(manifest: JobManifest): void {
  const notebookPath = safeRelativePath(manifest.notebook);
  if ('refused' in notebookPath) {
    throw refuse(`The notebook path "${shownPath(manifest.notebook)}" ${notebookPath.refused}.`);
  }
  for (const output of manifest.outputs ?? []) {
    const checked = safeRelativePath(output);
    if ('refused' in checked) {
      throw refuse(`The requested output "${shownPath(output)}" ${checked.refused}.`);
    }
  }
}

/** Checks that the manifest names files the bundle has and that the notebook is a notebook. */
export function checkManifestAgainstBundle(
  manifest: JobManifest,
  bundle: IReceivedBundle,
  limits: INotebookLimits
): void {
  checkManifestNames(manifest);
  const byPath = new Map(bundle.files.map(f => [f.path, f]));
  const notebook = byPath.get((safeRelativePath(manifest.notebook) as { path: string }).path);
  if (!notebook) {
    throw refuse(
      `The bundle has no notebook at "${manifest.notebook}". Send the notebook's folder with the notebook in it.`
    );
  }
  checkNotebookSize(manifest.notebook, notebook.size, limits);
  checkNotebook(manifest.notebook, readReceived(notebook), limits);
  for (const spec of manifest.environment?.files ?? []) {
    if (!byPath.has(spec)) {
      throw refuse(
        `The environment file "${spec}" is not in the bundle. Send it with the notebook or remove it from the environment.`
      );
    }
  }
}

/** The received files as bundle files whose content is read from the scratch folder when asked for. */
export function receivedFiles(bundle: IReceivedBundle): IBundleFile[] {
  return bundle.files.map(f => ({
    path: f.path,
    mode: f.mode,
    get content() {
      return readReceived(f);
    }
  }));
}

/** Packs files into a tar (for the sandbox's stdin and the CLI's upload). */
export async function packBundle(files: IBundleFile[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const f of files) {
    pack.entry(
      { name: f.path, size: f.content.length, mode: f.mode, mtime: new Date(0), uid: 0, gid: 0 },
      f.content
    );
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
