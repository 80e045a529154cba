// The archive: every accepted bundle, content-addressed and write-once. Code and environment, never data.
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync
} from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../audit/index.js';
import { sha256, type IBundleFile, type IReceivedFile } from '../bundle/index.js';
import { partialPath, writeFileWhole } from '../partial-files.js';
import type { ArchiveRecord } from '../schema/index.js';

/** What the run used and produced, kept beside the record (hashes and counts only). */
export type RunRecord = Required<Pick<ArchiveRecord, 'image' | 'outputs' | 'dataset'>> &
  Pick<ArchiveRecord, 'build'>;

export interface IArchive {
  /** Stores the bundle's files and the job's record; returns the bundle id (hash of the file list). */
  put(
    record: Omit<ArchiveRecord, 'files'>,
    files: IBundleFile[]
  ): { record: ArchiveRecord; bundleSha256: string };
  /** As put, for files received into a scratch folder (already hashed): they are moved in, not read. */
  putReceived(
    record: Omit<ArchiveRecord, 'files'>,
    files: IReceivedFile[]
  ): { record: ArchiveRecord; bundleSha256: string };
  record(jobId: string): ArchiveRecord;
  files(jobId: string): IBundleFile[];
  /** Adds what the run used and produced (hashes only), once. */
  putRun(jobId: string, run: RunRecord): void;
  /** What the run used and produced, if the job got that far. */
  run(jobId: string): RunRecord | undefined;
}

/** Writes a file once; an existing file is left as it is (content-addressed, so it is the same). */
function writeOnce(path: string, content: Buffer | string): void {
  if (existsSync(path)) {
    return;
  }
  writeFileWhole(path, content, 0o444);
}

/** A rename, or a copy where the scratch folder is on another file system than the archive. */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') {
      throw e;
    }
    const tmp = partialPath(to);
    copyFileSync(from, tmp);
    chmodSync(tmp, 0o444);
    renameSync(tmp, to);
    rmSync(from, { force: true });
  }
}

export class LocalArchive implements IArchive {
  constructor(private root: string) {
    mkdirSync(join(root, 'objects'), { recursive: true, mode: 0o700 });
    mkdirSync(join(root, 'jobs'), { recursive: true, mode: 0o700 });
  }

  private objectPath(hash: string): string {
    return join(this.root, 'objects', hash.slice(0, 2), hash.slice(2));
  }

  put(record: Omit<ArchiveRecord, 'files'>, files: IBundleFile[]) {
    const entries = files.map(f => {
      const hash = sha256(f.content);
      mkdirSync(join(this.root, 'objects', hash.slice(0, 2)), { recursive: true, mode: 0o700 });
      writeOnce(this.objectPath(hash), f.content);
      return { path: f.path, sha256: hash, size: f.content.length, mode: f.mode };
    });
    const full: ArchiveRecord = { ...record, files: entries };
    writeOnce(join(this.root, 'jobs', `${record.job_id}.json`), JSON.stringify(full, null, 2));
    return { record: full, bundleSha256: sha256(canonicalJson(entries)) };
  }

  putReceived(record: Omit<ArchiveRecord, 'files'>, files: IReceivedFile[]) {
    const entries = files.map(f => {
      const target = this.objectPath(f.sha256);
      mkdirSync(join(this.root, 'objects', f.sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
      if (existsSync(target)) {
        rmSync(f.file, { force: true });
      } else {
        chmodSync(f.file, 0o444);
        moveFile(f.file, target);
      }
      return { path: f.path, sha256: f.sha256, size: f.size, mode: f.mode };
    });
    const full: ArchiveRecord = { ...record, files: entries };
    writeOnce(join(this.root, 'jobs', `${record.job_id}.json`), JSON.stringify(full, null, 2));
    return { record: full, bundleSha256: sha256(canonicalJson(entries)) };
  }

  record(jobId: string): ArchiveRecord {
    return JSON.parse(readFileSync(join(this.root, 'jobs', `${jobId}.json`), 'utf8'));
  }

  /** The bundle's files; each content is read (and its hash checked) only when asked for, never all at once. */
  files(jobId: string): IBundleFile[] {
    return this.record(jobId).files.map(f => {
      const object = this.objectPath(f.sha256);
      return {
        path: f.path,
        mode: f.mode,
        get content() {
          const content = readFileSync(object);
          if (sha256(content) !== f.sha256) {
            throw new Error(`archived file ${f.path} of job ${jobId} does not match its hash`);
          }
          return content;
        }
      };
    });
  }

  putRun(jobId: string, run: RunRecord): void {
    writeOnce(join(this.root, 'jobs', `${jobId}.run.json`), JSON.stringify(run, null, 2));
  }

  run(jobId: string): RunRecord | undefined {
    const file = join(this.root, 'jobs', `${jobId}.run.json`);
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  }

  has(jobId: string): boolean {
    return existsSync(join(this.root, 'jobs', `${jobId}.json`));
  }
}
