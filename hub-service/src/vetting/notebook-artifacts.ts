// Splits a run's outputs into artifacts: each declared file, the log, and every output of every notebook cell.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findHiddenCharacters } from '../bundle/hidden-characters.js';
import type { IOutputFile } from '../exec/index.js';
import { deriveFile, rebuildNotebook, rebuildOutput, type IReleaseForm } from '../release/index.js';
import type { Artifact } from '../schema/index.js';
import type { ICandidate } from './index.js';

export interface INotebook {
  cells?: { outputs?: Record<string, any>[]; source?: unknown }[];
  [key: string]: unknown;
}

const outputTypes = new Set(['stream', 'display_data', 'execute_result', 'error']);

/** The path of a cell output's artifact; it cannot name a file, since the notebook is a file. */
export const cellOutputPath = (notebook: string, cell: number, output: number) =>
  `${notebook}/cells/${cell}/outputs/${output}`;

/** A cell output as served and hashed: its nbformat JSON. */
export const cellOutputBytes = (output: unknown) => Buffer.from(JSON.stringify(output));

/** The representation a viewer shows: an image over HTML over plain text. */
export function primaryMime(output: Record<string, any>): string {
  if (output.output_type === 'stream') {
    return 'text/plain';
  }
  if (output.output_type === 'error') {
    return 'application/vnd.jupyter.error';
  }
  const mimes = Object.keys(output.data ?? {});
  return (
    mimes.find(m => m.startsWith('image/')) ??
    mimes.find(m => m === 'text/html') ??
    mimes.find(m => m !== 'text/plain') ??
    mimes[0] ??
    'text/plain'
  );
}

export function cellOutputOf(cell: number, index: number, output: Record<string, any>) {
  const described: NonNullable<Artifact['cell_output']> = {
    cell,
    output: index,
    output_type: outputTypes.has(output.output_type) ? output.output_type : 'unknown',
    mime: primaryMime(output)
  };
  if (output.output_type === 'stream' && (output.name === 'stdout' || output.name === 'stderr')) {
    described.stream = output.name;
  }
  return described;
}

/** The notebook rebuilt without outputs: what its own artifact is checked as (the code) and released around. */
export function notebookShell(nb: INotebook): IReleaseForm {
  const shell = rebuildNotebook(nb);
  const text = JSON.stringify(shell);
  const sources = (nb.cells ?? []).map(c =>
    Array.isArray(c.source) ? c.source.join('') : String(c.source ?? '')
  );
  const dropped = (shell.metadata as { hbroker: { dropped: string[] } }).hbroker.dropped;
  return {
    bytes: Buffer.from(text),
    text,
    hidden: findHiddenCharacters(sources.join('\n')),
    dropped: dropped.slice(0, -1),
    reencoded: []
  };
}

/** A cell output as release writes it (rebuilt from the allow-list), and what that changed. */
export function releasedOutput(output: Record<string, any>): IReleaseForm {
  const { output: rebuilt, changes } = rebuildOutput(output);
  return {
    bytes: cellOutputBytes(rebuilt),
    hidden: changes.hidden,
    dropped: changes.dropped,
    reencoded: changes.reencoded,
    ...(changes.problems.length ? { problem: changes.problems.join(' ') } : {})
  };
}

/** Runs `make` once, when first asked. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Every artifact of a finished run, in the order the notebook and the outputs list give. An empty
 * log (the kernel printed nothing) is no artifact: nothing to check, release or send to a checker.
 */
export function runCandidates(
  files: IOutputFile[],
  notebook: string,
  outputDir: string
): ICandidate[] {
  const candidates: ICandidate[] = [];
  for (const f of files) {
    const file = join(outputDir, f.path);
    const kind: Artifact['kind'] =
      f.path === notebook ? 'notebook' : f.path.startsWith('hbroker-logs/') ? 'log' : 'output';
    if (kind === 'log' && f.size === 0) {
      continue;
    }
    let nb: INotebook | undefined;
    if (kind === 'notebook') {
      try {
        nb = JSON.parse(readFileSync(file, 'utf8')) as INotebook;
      } catch {
        nb = undefined; // not JSON: checked as an opaque file, and it has no cell outputs to split
      }
    }
    const release = once(async () =>
      nb ? notebookShell(nb) : deriveFile(f.path, await readFile(file))
    );
    candidates.push({
      ...f,
      kind,
      read: async () => (await release()).bytes,
      release
    });
    (nb?.cells ?? []).forEach((cell, i) =>
      (Array.isArray(cell.outputs) ? cell.outputs : []).forEach((output, j) => {
        // What the checks read is the output as release writes it, so nothing else can ride along.
        const form = releasedOutput(output);
        candidates.push({
          path: cellOutputPath(notebook, i, j),
          kind: 'cell_output',
          size: form.bytes.length,
          sha256: sha256(form.bytes),
          cellOutput: cellOutputOf(i, j, output),
          read: async () => form.bytes,
          release: async () => form
        });
      })
    );
  }
  return candidates;
}
