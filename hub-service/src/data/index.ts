// The stage step's data sources: put one study's data where only one job's sandbox can read it.
import { chmodSync, chownSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchiveRecord, Study } from '../schema/index.js';

export interface IStagedData {
  /** Host folder mounted read-only at /data in the job's sandbox. */
  dir: string;
  files: number;
  bytes: number;
  /** Hash of the dataset version: every file's path and content. */
  sha256: string;
  /** How many records were staged, for the audit log and the archive (never the records). */
  records?: NonNullable<ArchiveRecord['dataset']>['records'];
}

/** On whose behalf data is read: a source that enforces its own access rules (JHE) uses their token. */
export interface IDataCaller {
  user: string;
  /** The caller's JHE access token from the hub's auth_state; never sent to a browser or sandbox. */
  jheToken?: () => Promise<string | undefined>;
}

/** Where a user's JHE token can be read (the hub's auth_state); absent outside JupyterHub. */
export interface IJheTokens {
  get(user: string): Promise<string | undefined>;
}

export const dataCaller = (user: string, tokens?: IJheTokens): IDataCaller => ({
  user,
  jheToken: tokens && (() => tokens.get(user))
});

export interface IDataSource {
  /** The studies the caller may submit runs against. */
  studies(caller: IDataCaller): Promise<Study[]>;
  /** Whether the study exists for this caller (checked at submission, so a typo fails fast). */
  has(study: string, caller: IDataCaller): Promise<boolean>;
  /** Writes the study into the job's staging folder. Fails with a sentence a researcher can act on. */
  stage(study: string, into: string, caller: IDataCaller): Promise<Omit<IStagedData, 'dir'>>;
  /**
   * Writes the study's synthetic data (what the researcher's server shows, in the same layout) for the
   * preflight; undefined when this source has none for the study.
   */
  stageSynthetic?(
    study: string,
    into: string,
    caller: IDataCaller
  ): Promise<Omit<IStagedData, 'dir'> | undefined>;
}

/** Per-job staging folders: private to the service, readable only by the sandbox user, wiped after. */
export class StagingArea {
  constructor(
    readonly root: string,
    private sandboxUid = 1000
  ) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    chmodSync(root, 0o700);
  }

  dirFor(jobId: string): string {
    return join(this.root, jobId);
  }

  async stage(
    source: IDataSource,
    jobId: string,
    study: string,
    caller: IDataCaller
  ): Promise<IStagedData> {
    const dir = this.dirFor(jobId);
    this.wipe(jobId);
    mkdirSync(dir, { mode: 0o700 });
    const result = await source.stage(study, dir, caller);
    this.handToSandbox(dir);
    return { dir, ...result };
  }

  /** Stages the study's synthetic data instead, if the source has any; undefined when it has none. */
  async stageSynthetic(
    source: IDataSource,
    jobId: string,
    study: string,
    caller: IDataCaller
  ): Promise<IStagedData | undefined> {
    if (!source.stageSynthetic) {
      return undefined;
    }
    const dir = this.dirFor(jobId);
    this.wipe(jobId);
    mkdirSync(dir, { mode: 0o700 });
    const result = await source.stageSynthetic(study, dir, caller);
    if (!result) {
      this.wipe(jobId);
      return undefined;
    }
    this.handToSandbox(dir);
    return { dir, ...result };
  }

  /** The sandbox runs as a fixed non-root uid; it must read the data, nobody else on the host. */
  private handToSandbox(dir: string): void {
    const walk = (path: string) => {
      try {
        chownSync(path, this.sandboxUid, this.sandboxUid);
      } catch {
        // Not root: keep group/other read so the sandbox user can read; the 0700 root still hides it.
        chmodSync(path, 0o755);
      }
      for (const entry of readdirSync(path, { withFileTypes: true })) {
        const child = join(path, entry.name);
        if (entry.isDirectory()) {
          walk(child);
        } else {
          try {
            chownSync(child, this.sandboxUid, this.sandboxUid);
            chmodSync(child, 0o400);
          } catch {
            chmodSync(child, 0o444);
          }
        }
      }
    };
    walk(dir);
  }

  wipe(jobId: string): void {
    rmSync(this.dirFor(jobId), { recursive: true, force: true });
  }

  /** Removes every staging folder but those of the given jobs (after a crash or restart). */
  sweep(keep: ReadonlySet<string> = new Set()): string[] {
    const removed: string[] = [];
    for (const name of readdirSync(this.root)) {
      if (!keep.has(name)) {
        rmSync(join(this.root, name), { recursive: true, force: true });
        removed.push(name);
      }
    }
    return removed;
  }

  list(): string[] {
    return readdirSync(this.root);
  }
}

export { LocalDirectorySource } from './local.js';
