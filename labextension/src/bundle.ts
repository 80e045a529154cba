// Builds the bundle in the browser from Contents API reads: the notebook's folder, regular files only,
// with the same ignore rules as `hbroker submit` (hub-service/src/bundle/rules.ts).
import { PathExt } from '@jupyterlab/coreutils';
import type { Contents } from '@jupyterlab/services';
import {
  bundleRules,
  environmentFilesIn,
  ignoreFileNames,
  isIgnored
} from '../../hub-service/src/bundle/rules';
import { fromBase64, packTar, type ITarFile } from './tar';

/** What the Contents API offers the bundle: listing a folder and reading a file. */
export type IContentsReader = Pick<Contents.IManager, 'get'>;

export interface IBundleEntry {
  /** Relative to the notebook's folder. */
  path: string;
  size: number;
}

export interface IFolderListing {
  /** The notebook's folder, relative to the server root ('' for the root). */
  folder: string;
  /** The notebook, relative to the folder. */
  notebook: string;
  files: IBundleEntry[];
  /** Files left out by the ignore rules, relative to the folder (folders end in '/'). */
  ignored: string[];
  /**
   * The ignore files read (hbroker-ignore.txt, and .hbrokerignore where the server lists dot-files);
   * empty when there are none the server shows.
   */
  ignoreFiles: string[];
  /** repo2docker files among the files. */
  environment: string[];
}

async function readIgnoreFile(
  contents: IContentsReader,
  folder: string,
  name: string
): Promise<string> {
  const model = await contents.get(PathExt.join(folder, name), {
    type: 'file',
    format: 'text',
    content: true
  });
  return String(model.content ?? '');
}

/** The folder's entries, sorted by name. */
async function entries(contents: IContentsReader, dir: string): Promise<Contents.IModel[]> {
  const listing = await contents.get(dir, { content: true });
  return [...((listing.content as Contents.IModel[]) ?? [])].sort((a, b) =>
    a.name < b.name ? -1 : 1
  );
}

/** Lists what a submission of `notebookPath` would send, without reading the files. */
export async function listBundle(
  contents: IContentsReader,
  notebookPath: string
): Promise<IFolderListing> {
  const folder = PathExt.dirname(notebookPath);
  const notebook = PathExt.basename(notebookPath);
  // Read only if listed: JupyterLab's server hides dot-files unless it allows hidden files, and
  // probing for a file that is not there would put a 404 in the browser console.
  const top = await entries(contents, folder);
  const listed = ignoreFileNames.filter(name =>
    top.some(item => item.name === name && item.type === 'file')
  );
  const rules = bundleRules(
    ...(await Promise.all(listed.map(name => readIgnoreFile(contents, folder, name))))
  );
  const files: IBundleEntry[] = [];
  const ignored: string[] = [];
  const walk = async (dir: string, items: Contents.IModel[]) => {
    for (const item of items) {
      const relative = folder ? PathExt.relative(folder, item.path) : item.path;
      const isDirectory = item.type === 'directory';
      if (isIgnored(rules, relative, isDirectory)) {
        ignored.push(isDirectory ? `${relative}/` : relative);
        continue;
      }
      if (isDirectory) {
        await walk(item.path, await entries(contents, item.path));
      } else {
        files.push({ path: relative, size: item.size ?? 0 });
      }
    }
  };
  await walk(folder, top);
  if (!files.some(f => f.path === notebook)) {
    files.unshift({ path: notebook, size: 0 });
  }
  return {
    folder,
    notebook,
    files,
    ignored,
    ignoreFiles: listed,
    environment: environmentFilesIn(files.map(f => f.path))
  };
}

/** Reads every listed file as bytes and packs them, plus `extra` files (e.g. a captured environment). */
export async function packBundle(
  contents: IContentsReader,
  listing: IFolderListing,
  extra: ITarFile[] = []
): Promise<{ tar: Uint8Array; bytes: number }> {
  const replaced = new Set(extra.map(f => f.path));
  const files: ITarFile[] = [];
  for (const entry of listing.files) {
    if (replaced.has(entry.path)) {
      continue;
    }
    const model = await contents.get(PathExt.join(listing.folder, entry.path), {
      type: 'file',
      format: 'base64',
      content: true
    });
    files.push({ path: entry.path, content: fromBase64(String(model.content ?? '')) });
  }
  files.push(...extra);
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  const tar = packTar(files);
  return { tar, bytes: tar.length };
}

/** Total size of the listed files, in bytes. */
export const bundleSize = (listing: IFolderListing, extra: ITarFile[] = []) =>
  listing.files.reduce((n, f) => n + f.size, 0) + extra.reduce((n, f) => n + f.content.length, 0);
