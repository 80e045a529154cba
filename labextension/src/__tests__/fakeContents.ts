// An in-memory Contents API (folders and files) for the bundle and results tests.
import type { Contents } from '@jupyterlab/services';

export class FakeContents {
  files = new Map<string, Uint8Array>();
  folders = new Set<string>(['']);
  /** Paths the server pretends not to have (as it hides dot-files by default). */
  hidden = new Set<string>();
  reads: string[] = [];

  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [path, content] of Object.entries(files)) {
      this.put(path, typeof content === 'string' ? new TextEncoder().encode(content) : content);
    }
  }

  put(path: string, content: Uint8Array): void {
    this.files.set(path, content);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      this.folders.add(parts.slice(0, i).join('/'));
    }
  }

  text(path: string): string {
    return new TextDecoder().decode(this.files.get(path));
  }

  async get(path: string, options?: Contents.IFetchOptions): Promise<Contents.IModel> {
    if (this.hidden.has(path)) {
      throw Object.assign(new Error(`${path} not found`), { response: { status: 404 } });
    }
    const name = path.split('/').pop() ?? '';
    if (this.folders.has(path)) {
      const prefix = path ? `${path}/` : '';
      const children = [...this.folders, ...this.files.keys()]
        .filter(p => p !== path && p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
        .filter(p => !this.hidden.has(p));
      return {
        name,
        path,
        type: 'directory',
        content: children.map(p => ({
          name: p.split('/').pop(),
          path: p,
          type: this.folders.has(p) ? 'directory' : 'file',
          size: this.files.get(p)?.length
        }))
      } as unknown as Contents.IModel;
    }
    const data = this.files.get(path);
    if (!data) {
      throw Object.assign(new Error(`${path} not found`), { response: { status: 404 } });
    }
    this.reads.push(path);
    const content =
      options?.format === 'base64'
        ? Buffer.from(data).toString('base64')
        : new TextDecoder().decode(data);
    return { name, path, type: 'file', content, size: data.length } as unknown as Contents.IModel;
  }

  async save(path: string, options: Partial<Contents.IModel> = {}): Promise<Contents.IModel> {
    if (options.type === 'directory') {
      this.folders.add(path);
    } else {
      this.put(path, Buffer.from(String(options.content), 'base64'));
    }
    return { name: path.split('/').pop(), path, type: options.type } as unknown as Contents.IModel;
  }
}
