// Files being written carry a name that says so (<name>.<pid>.tmp) until renamed whole into place; a start sweeps them.
import { chmodSync, lstatSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const partialName = /\.(\d+)\.tmp$/;

/** Where to write a file or folder before it is complete: beside its final place, named for this process. */
export const partialPath = (final: string): string => `${final}.${process.pid}.tmp`;

/** Any name ending in .tmp is partial, with or without the writer's pid (earlier versions wrote both). */
export const isPartialName = (name: string): boolean => name.endsWith('.tmp');

/**
 * Writes a file whole or not at all: a process that dies meanwhile leaves at most a partial name the
 * next start removes. (Not fsynced: this guards against crashes of the service, not of the machine.)
 */
export function writeFileWhole(path: string, content: string | Buffer, mode = 0o600): void {
  const partial = partialPath(path);
  writeFileSync(partial, content, { mode });
  chmodSync(partial, mode);
  renameSync(partial, path);
}

/** Whether the process that named a partial file is still running (then it is being written, not left). */
function writerAlive(name: string): boolean {
  const pid = Number(partialName.exec(name)?.[1]);
  if (!pid) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface IPartialFile {
  /** Relative to the state folder. */
  path: string;
  /** Its writer still runs: it is being written, not left behind by a crash. */
  writing: boolean;
}

/**
 * The partial files of a state folder. Folders whose entries are named by researchers or sandboxes
 * (a job's collected outputs, its staged data) are `opaque`: they appear whole by a rename (or are
 * wiped at start), so their own names are checked but nothing inside them is taken for partial.
 */
export class PartialFiles {
  private opaque: Set<string>;

  constructor(
    readonly root: string,
    opaque: string[] = []
  ) {
    this.opaque = new Set(opaque.map(p => resolve(p)));
  }

  find(): IPartialFile[] {
    const found: IPartialFile[] = [];
    const walk = (dir: string, opaqueChildren: boolean) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return; // gone meanwhile, or not there yet
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (isPartialName(entry.name)) {
          found.push({ path: relative(this.root, path), writing: writerAlive(entry.name) });
        } else if (entry.isDirectory() && !opaqueChildren) {
          walk(path, this.opaque.has(resolve(path)));
        }
      }
    };
    walk(this.root, this.opaque.has(resolve(this.root)));
    return found.sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** At start, before any job resumes: removes every partial file and folder; returns what it removed. */
  sweep(): string[] {
    const removed: string[] = [];
    for (const { path } of this.find()) {
      const full = join(this.root, path);
      try {
        lstatSync(full);
      } catch {
        continue;
      }
      rmSync(full, { recursive: true, force: true });
      removed.push(path);
    }
    return removed;
  }
}
