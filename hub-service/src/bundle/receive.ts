// Receives a bundle's tar as a stream: each entry is checked as it arrives and written, hashed, to a
// per-submission scratch folder, so no bundle is ever held in memory whole.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { badRequest, HBrokerError } from '../errors.js';
import { safeRelativePath, shownPath } from './paths.js';
import { TarNameError, TarNameGuard } from './tar-names.js';
import { ignoreFileName } from './rules.js';

export interface IBundleLimits {
  bundle_mb: number;
  bundle_files: number;
}

/** A received file: where it sits in the scratch folder, its hash and size. */
export interface IReceivedFile {
  path: string;
  mode: number;
  size: number;
  sha256: string;
  file: string;
}

export interface IReceivedBundle {
  /** The scratch folder; remove it with discardBundle when done. */
  dir: string;
  files: IReceivedFile[];
  size: number;
}

const refuse = (message: string) => badRequest('invalid_bundle', message);

const tooLarge = (limits: IBundleLimits) =>
  refuse(
    `The bundle is larger than the ${limits.bundle_mb} MB limit. Add large files to ${ignoreFileName}.`
  );

/** Hashes and counts what passes, failing once the bundle's running total passes the limit. */
class Measure extends Transform {
  readonly hash = createHash('sha256');
  size = 0;

  constructor(private room: number) {
    super();
  }

  _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: (e?: Error | null, c?: Buffer) => void
  ) {
    this.size += chunk.length;
    if (this.size > this.room) {
      done(new RangeError('over the bundle limit'));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }
}

/**
 * Reads a tar stream into `dir` (created, mode 0700): regular files only, each name checked by
 * safeRelativePath (and for a NUL inside the raw tar name), within the size and file-count limits.
 * On any refusal the folder is removed and a 400 says what was wrong.
 */
export async function receiveBundle(
  source: Readable,
  dir: string,
  limits: IBundleLimits
): Promise<IReceivedBundle> {
  const maxBytes = limits.bundle_mb * 1024 * 1024;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: IReceivedFile[] = [];
  const seen = new Set<string>();
  let size = 0;
  let entries = 0;
  const extract = tar.extract();
  const feeding = pipeline(source, new TarNameGuard(), extract);
  // Whatever fails first is reported below; the other rejection must not go unhandled.
  feeding.catch(() => undefined);
  try {
    for await (const entry of extract) {
      const { name, type } = entry.header;
      // Folders count too: a tar of nothing but folder entries is no cheaper to read.
      if (++entries > 2 * limits.bundle_files) {
        throw refuse(
          `The bundle has more than ${limits.bundle_files} files. Add what the run does not need to ${ignoreFileName}.`
        );
      }
      const checked = safeRelativePath(name);
      if ('refused' in checked) {
        throw refuse(
          `The bundle entry "${shownPath(name)}" ${checked.refused}. Rename or move the file inside the notebook folder, or list it in ${ignoreFileName}.`
        );
      }
      if (type === 'directory') {
        entry.resume();
        continue;
      }
      if (type !== 'file' && type !== 'contiguous-file') {
        throw refuse(
          `The bundle entry "${checked.path}" is a ${type}, not a regular file. Replace links with the files they point to, or list them in ${ignoreFileName}.`
        );
      }
      if (seen.has(checked.path)) {
        throw refuse(`The bundle holds "${checked.path}" twice. Send each file once.`);
      }
      seen.add(checked.path);
      if (files.length >= limits.bundle_files) {
        throw refuse(
          `The bundle has more than ${limits.bundle_files} files. Add what the run does not need to ${ignoreFileName}.`
        );
      }
      const file = join(dir, String(files.length));
      const measure = new Measure(maxBytes - size);
      try {
        await pipeline(entry, measure, createWriteStream(file, { mode: 0o600 }));
      } catch (e) {
        throw e instanceof RangeError ? tooLarge(limits) : e;
      }
      size += measure.size;
      files.push({
        path: checked.path,
        mode: (entry.header.mode ?? 0o644) & 0o755,
        size: measure.size,
        sha256: measure.hash.digest('hex'),
        file
      });
    }
    await feeding;
  } catch (e) {
    extract.destroy();
    rmSync(dir, { recursive: true, force: true });
    // A refusal already in words, or the client gone: passed on as they are.
    if (e instanceof HBrokerError || (e as { type?: string }).type === 'request.aborted') {
      throw e;
    }
    if (e instanceof TarNameError) {
      throw refuse(
        `The bundle's tar is refused: ${e.message}, which would cut the name short. Rename the file with visible characters only.`
      );
    }
    throw refuse(
      `The bundle is not a readable tar archive (${(e as Error).message}). Send an uncompressed POSIX tar.`
    );
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { dir, files, size };
}

/** Reads one received file (callers bound its size first). */
export const readReceived = (file: IReceivedFile): Buffer => readFileSync(file.file);

/** Removes a bundle's scratch folder (after it was archived or refused). */
export function discardBundle(bundle: { dir: string }): void {
  rmSync(bundle.dir, { recursive: true, force: true });
}
