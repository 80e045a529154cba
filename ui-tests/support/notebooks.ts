// Notebooks a test writes into the researcher's server (through the Contents API) before opening them.
import { putContents } from './session.js';

/** A Python notebook of code cells, as JupyterLab would save it. */
export function codeNotebook(sources: string[]): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: sources.map((source, i) => ({
      id: `cell-${i}`,
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source
    }))
  };
}

/** Makes `folder/name` in the researcher's home: a folder holding just this notebook. */
export async function putNotebook(folder: string, name: string, sources: string[]): Promise<void> {
  await putContents(folder, { type: 'directory' });
  await putContents(`${folder}/${name}`, {
    type: 'notebook',
    format: 'json',
    content: codeNotebook(sources)
  });
}
