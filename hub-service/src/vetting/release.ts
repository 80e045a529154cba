// What a released artifact serves, re-derived from what was stored: a file as release writes it, one
// cell output rebuilt, or the notebook rebuilt with unreleased outputs replaced by a note.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveFile, rebuildNotebook } from '../release/index.js';
import type { Artifact } from '../schema/index.js';
import { cellOutputPath, releasedOutput, type INotebook } from './notebook-artifacts.js';

/** The bytes to send, their hash (always that of the vetted bytes for a file or cell output) and type. */
export type Served = { body: Buffer; sha256: string; contentType: string };

const withheldNote = (path: string) => ({
  output_type: 'display_data',
  data: {
    'text/plain': 'HBroker: this output was not released by output checking, so it was removed.'
  },
  metadata: { hbroker: { withheld: path } }
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

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
 * How to serve a released artifact, or undefined when it is no longer stored or its re-derivation is not
 * what was vetted. The caller has already checked that `artifact` is released; cell outputs are read
 * from the stored executed notebook.
 */
export function servedArtifact(
  outputDir: string,
  artifact: Artifact,
  artifacts: Artifact[]
): Served | undefined {
  if (artifact.kind !== 'notebook' && artifact.kind !== 'cell_output') {
    const file = join(outputDir, artifact.path);
    if (!existsSync(file)) {
      return undefined;
    }
    const form = deriveFile(artifact.path, readFileSync(file));
    const hash = sha256(form.bytes);
    // Release writes again exactly what the checks read, or nothing: a file that cannot be re-derived
    // under its name (a pickle saved as .csv) never leaves, whatever a reviewer decided.
    if (form.problem || hash !== artifact.sha256) {
      return undefined;
    }
    return { body: form.bytes, sha256: hash, contentType: 'application/octet-stream' };
  }
  const notebook =
    artifact.kind === 'notebook' ? artifact : artifacts.find(a => a.kind === 'notebook');
  const nb = notebook && readNotebook(outputDir, notebook);
  if (!notebook || !nb) {
    // A notebook that is not JSON cannot be rebuilt, so it never leaves.
    return undefined;
  }
  let body: Buffer;
  if (artifact.kind === 'cell_output') {
    const { cell, output } = artifact.cell_output!;
    const found = nb.cells?.[cell]?.outputs?.[output];
    if (found === undefined) {
      return undefined;
    }
    body = releasedOutput(found).bytes;
  } else {
    const released = new Set(artifacts.filter(a => a.status === 'released').map(a => a.path));
    const rebuilt = rebuildNotebook(nb, (i, j, output) => {
      const path = cellOutputPath(notebook.path, i, j);
      return released.has(path)
        ? JSON.parse(releasedOutput(output).bytes.toString())
        : withheldNote(path);
    });
    body = Buffer.from(JSON.stringify(rebuilt, null, 1) + '\n');
  }
  const hash = sha256(body);
  // A cell output must be byte for byte what was vetted.
  if (artifact.kind === 'cell_output' && hash !== artifact.sha256) {
    return undefined;
  }
  const contentType =
    artifact.kind === 'notebook' ? 'application/x-ipynb+json' : 'application/json';
  return { body, sha256: hash, contentType };
}
