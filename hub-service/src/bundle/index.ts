// The validate stage for bundles: unpack the submitted tar safely and check it against the limits.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { badRequest } from '../errors.js';
import type { JobManifest } from '../schema/index.js';
import { safeRelativePath } from './paths.js';
import { ignoreFileName } from './rules.js';

export { safeRelativePath } from './paths.js';
export * from './hidden-characters.js';

export interface IBundleFile {
  path: string;
  mode: number;
  content: Buffer;
}

export interface IBundle {
  files: IBundleFile[];
  size: number;
}

export interface IBundleLimits {
  bundle_mb: number;
  bundle_files: number;
}

const refuse = (message: string) => badRequest('invalid_bundle', message);

/** Reads a tar into regular files, refusing links, devices, unsafe paths and anything over the limits. */
export async function unpackBundle(tarball: Buffer, limits: IBundleLimits): Promise<IBundle> {
  const maxBytes = limits.bundle_mb * 1024 * 1024;
  if (tarball.length > maxBytes + 1024 * 1024) {
    throw refuse(
      `The bundle is larger than the ${limits.bundle_mb} MB limit. Add large files to ${ignoreFileName}.`
    );
  }
  const files: IBundleFile[] = [];
  const seen = new Set<string>();
  let size = 0;
  const extract = tar.extract();
  Readable.from([tarball]).pipe(extract);
  try {
    for await (const entry of extract) {
      const { name, type } = entry.header;
      const checked = safeRelativePath(name);
      if ('refused' in checked) {
        entry.resume();
        throw refuse(
          `The bundle entry "${name}" ${checked.refused}. Send files from inside the notebook folder only.`
        );
      }
      if (type === 'directory') {
        entry.resume();
        continue;
      }
      if (type !== 'file' && type !== 'contiguous-file') {
        entry.resume();
        throw refuse(
          `The bundle entry "${checked.path}" is a ${type}, not a regular file. Replace links with the files they point to, or list them in ${ignoreFileName}.`
        );
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) {
        chunks.push(chunk as Buffer);
      }
      const content = Buffer.concat(chunks);
      size += content.length;
      if (size > maxBytes) {
        throw refuse(
          `The bundle is larger than the ${limits.bundle_mb} MB limit. Add large files to ${ignoreFileName}.`
        );
      }
      if (seen.has(checked.path)) {
        throw refuse(`The bundle holds "${checked.path}" twice. Send each file once.`);
      }
      seen.add(checked.path);
      files.push({ path: checked.path, mode: (entry.header.mode ?? 0o644) & 0o755, content });
      if (files.length > limits.bundle_files) {
        throw refuse(
          `The bundle has more than ${limits.bundle_files} files. Add what the run does not need to ${ignoreFileName}.`
        );
      }
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'invalid_bundle') {
      throw e;
    }
    throw refuse(
      `The bundle is not a readable tar archive (${(e as Error).message}). Send an uncompressed POSIX tar, base64-encoded.`
    );
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, size };
}

/** Checks that the manifest names files the bundle has and that the notebook is a notebook. */
export function checkManifestAgainstBundle(manifest: JobManifest, bundle: IBundle): void {
  const byPath = new Map(bundle.files.map(f => [f.path, f]));
  const notebookPath = safeRelativePath(manifest.notebook);
  if ('refused' in notebookPath) {
    throw refuse(`The notebook path "${manifest.notebook}" ${notebookPath.refused}.`);
  }
  const notebook = byPath.get(notebookPath.path);
  if (!notebook) {
    throw refuse(
      `The bundle has no notebook at "${manifest.notebook}". Send the notebook's folder with the notebook in it.`
    );
  }
  let nb: { nbformat?: unknown; cells?: unknown };
  try {
    nb = JSON.parse(notebook.content.toString('utf8'));
  } catch (e) {
    throw badRequest(
      'invalid_notebook',
      `The notebook "${manifest.notebook}" is not valid JSON (${(e as Error).message}). Save it from JupyterLab and submit again.`
    );
  }
  if (nb === null || typeof nb !== 'object' || nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw badRequest(
      'invalid_notebook',
      `"${manifest.notebook}" is not a Jupyter notebook in format 4 (it needs "nbformat": 4 and a "cells" list). Save it from JupyterLab and submit again.`
    );
  }
  for (const output of manifest.outputs ?? []) {
    const checked = safeRelativePath(output);
    if ('refused' in checked) {
      throw refuse(`The requested output "${output}" ${checked.refused}.`);
    }
  }
  for (const spec of manifest.environment?.files ?? []) {
    if (!byPath.has(spec)) {
      throw refuse(
        `The environment file "${spec}" is not in the bundle. Send it with the notebook or remove it from the environment.`
      );
    }
  }
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
