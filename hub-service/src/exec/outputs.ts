// Copies outputs out of the sandbox's tar stream: regular files only, inside the folder, under the caps.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { safeRelativePath } from '../bundle/paths.js';
import type { IOutputFile } from './index.js';

export interface IOutputCaps {
  maxBytes: number;
  maxFiles: number;
}

export type CollectResult =
  | { ok: true; files: IOutputFile[] }
  | { ok: false; files: IOutputFile[]; quota: boolean; reason: string };

/** Reads the runner's tar; stops at the first refused entry or when a cap is passed. */
export async function collectOutputs(
  source: Readable,
  into: string,
  caps: IOutputCaps
): Promise<CollectResult> {
  const files: IOutputFile[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  const extract = tar.extract();
  source.pipe(extract);
  const stop = (quota: boolean, reason: string): CollectResult => {
    source.unpipe(extract);
    source.resume();
    extract.destroy();
    return { ok: false, files, quota, reason };
  };
  try {
    for await (const entry of extract) {
      const { name, type, size } = entry.header;
      const checked = safeRelativePath(name);
      if ('refused' in checked) {
        return stop(false, `an output path ${checked.refused}, so it was not copied out`);
      }
      if (type === 'directory') {
        entry.resume();
        continue;
      }
      if (type !== 'file' && type !== 'contiguous-file') {
        return stop(
          false,
          `the output "${checked.path}" is a ${type}, not a regular file, so it was not copied out`
        );
      }
      if (seen.has(checked.path)) {
        return stop(false, `the output "${checked.path}" appeared twice`);
      }
      seen.add(checked.path);
      if (files.length + 1 > caps.maxFiles) {
        return stop(true, `the run produced more than ${caps.maxFiles} output files`);
      }
      if (bytes + (size ?? 0) > caps.maxBytes) {
        return stop(
          true,
          `the outputs exceed the ${Math.round(caps.maxBytes / 1048576)} MiB output quota`
        );
      }
      const target = join(into, checked.path);
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      const hash = createHash('sha256');
      let written = 0;
      entry.on('data', (chunk: unknown) => {
        hash.update(chunk as Buffer);
        written += (chunk as Buffer).length;
      });
      // 'wx': never overwrite, never follow a link someone placed there.
      await pipeline(entry, createWriteStream(target, { flags: 'wx', mode: 0o600 }));
      bytes += written;
      files.push({ path: checked.path, size: written, sha256: hash.digest('hex') });
    }
  } catch (e) {
    return {
      ok: false,
      files,
      quota: false,
      reason: `the outputs could not be read (${(e as Error).message})`
    };
  }
  return { ok: true, files };
}
