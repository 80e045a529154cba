// Remembers each submitted job's folder (the service knows only paths inside the bundle), so
// results land beside the notebook that was submitted, across reloads.
import type { IStateDB } from '@jupyterlab/statedb';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

const key = '@hbroker/labextension:job-folders';

export class JobFolders {
  private folders: Record<string, string> = {};
  readonly ready: Promise<void>;

  constructor(private state?: IStateDB) {
    this.ready = state
      ? state
          .fetch(key)
          .then(value => {
            this.folders = { ...((value as Record<string, string> | undefined) ?? {}) };
          })
          .catch(() => undefined)
      : Promise.resolve();
  }

  get(id: string): string | undefined {
    return this.folders[id];
  }

  async set(id: string, folder: string): Promise<void> {
    this.folders[id] = folder;
    await this.state?.save(key, this.folders as ReadonlyPartialJSONObject);
  }
}
