// What a released artifact serves: a file, one cell output, or the notebook with unreleased outputs stripped.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Artifact } from '../schema/index.js';
import { cellOutputBytes, cellOutputPath, type INotebook } from './notebook-artifacts.js';

export type Served = { file: string } | { body: Buffer; sha256: string; contentType: string };

const withheldNote = (path: string) => ({
  output_type: 'display_data',
  data: {
    'text/plain': 'HBroker: this output was not released by output checking, so it was removed.'
  },
  metadata: { hbroker: { withheld: path } }
});

/** The stored notebook, null when it is not JSON (then it has no cell outputs), undefined when gone. */
function readNotebook(outputDir: string, notebook: Artifact): INotebook | null | undefined {
  const file = join(outputDir, notebook.path);
  if (!existsSync(file)) {
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as INotebook;
  } catch {
    return null;
  }
}

/**
 * How to serve a released artifact, or undefined when it is no longer stored. The caller has already
 * checked that `artifact` is released; cell outputs are read from the stored executed notebook.
 */
export function servedArtifact(
  outputDir: string,
  artifact: Artifact,
  artifacts: Artifact[]
): Served | undefined {
  if (artifact.kind !== 'notebook' && artifact.kind !== 'cell_output') {
    const file = join(outputDir, artifact.path);
    return existsSync(file) ? { file } : undefined;
  }
  const notebook =
    artifact.kind === 'notebook' ? artifact : artifacts.find(a => a.kind === 'notebook');
  const nb = notebook && readNotebook(outputDir, notebook);
  if (nb === null && artifact.kind === 'notebook') {
    return { file: join(outputDir, artifact.path) };
  }
  if (!notebook || !nb) {
    return undefined;
  }
  let body: Buffer;
  if (artifact.kind === 'cell_output') {
    const { cell, output } = artifact.cell_output!;
    const found = nb.cells?.[cell]?.outputs?.[output];
    if (found === undefined) {
      return undefined;
    }
    body = cellOutputBytes(found);
  } else {
    const released = new Set(artifacts.filter(a => a.status === 'released').map(a => a.path));
    const cells = (nb.cells ?? []).map((cell, i) => ({
      ...cell,
      outputs: (cell.outputs ?? []).map((output, j) => {
        const path = cellOutputPath(notebook.path, i, j);
        return released.has(path) ? output : withheldNote(path);
      })
    }));
    body = Buffer.from(JSON.stringify({ ...nb, cells }, null, 1) + '\n');
  }
  const sha256 = createHash('sha256').update(body).digest('hex');
  // A cell output must be byte for byte what was vetted.
  if (artifact.kind === 'cell_output' && sha256 !== artifact.sha256) {
    return undefined;
  }
  const contentType =
    artifact.kind === 'notebook' ? 'application/x-ipynb+json' : 'application/json';
  return { body, sha256, contentType };
}
