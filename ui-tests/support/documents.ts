// What JupyterLab has open, read from the app itself (Galata exposes it as window.jupyterapp):
// the paths of open documents and the cells of an open notebook as nbformat JSON.
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { ICell } from '@jupyterlab/nbformat';

/** The paths of the documents open in the main area. */
export function openDocuments(page: IJupyterLabPageFixture): Promise<string[]> {
  return page.evaluate(() => {
    const shell = (window as any).jupyterapp.shell;
    return Array.from(shell.widgets('main') as Iterable<any>)
      .map(widget => widget.context?.path)
      .filter((path): path is string => typeof path === 'string');
  });
}

/** The cells of an open notebook, as they would be saved (once it has loaded). */
export function notebookCells(page: IJupyterLabPageFixture, path: string): Promise<ICell[]> {
  return page.evaluate(async path => {
    const shell = (window as any).jupyterapp.shell;
    const panel = Array.from(shell.widgets('main') as Iterable<any>).find(
      widget => widget.context?.path === path
    );
    if (!panel) {
      throw new Error(`${path} is not open`);
    }
    await panel.context.ready;
    return panel.content.model.toJSON().cells;
  }, path);
}

/** Brings an open document's tab to the front, by its path. */
export function activateDocument(page: IJupyterLabPageFixture, path: string): Promise<void> {
  return page.evaluate(path => {
    const shell = (window as any).jupyterapp.shell;
    const widget = Array.from(shell.widgets('main') as Iterable<any>).find(
      widget => widget.context?.path === path
    );
    if (!widget) {
      throw new Error(`${path} is not open`);
    }
    shell.activateById(widget.id);
  }, path);
}

/** Opens a notebook from the file browser, as a user would, and brings it to the front. */
export async function openNotebook(page: IJupyterLabPageFixture, path: string): Promise<void> {
  await page.notebook.openByPath(path);
  await page.notebook.activate(path.split('/').pop()!);
}
