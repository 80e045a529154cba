// The notebook's shape at submission: its size, how deeply its JSON nests, and that it is nbformat 4.
import { badRequest } from '../errors.js';

export interface INotebookLimits {
  notebook_mb: number;
  notebook_depth: number;
}

/** How deeply a JSON text nests objects and arrays, counted without parsing it (so without recursion). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i++; // the escaped character
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

/** Refuses a notebook of more than `notebook_mb` before it is read. */
export function checkNotebookSize(name: string, bytes: number, limits: INotebookLimits): void {
  if (bytes > limits.notebook_mb * 1048576) {
    throw badRequest(
      'invalid_notebook',
      `The notebook "${name}" is ${(bytes / 1048576).toFixed(1)} MB; notebooks may have at most ${limits.notebook_mb} MB. Clear large outputs (Edit → Clear Outputs of All Cells) and submit again.`
    );
  }
}

/** Refuses a notebook over the size or nesting limits, or that is not nbformat 4 JSON; else returns it parsed. */
export function checkNotebook(name: string, content: Buffer, limits: INotebookLimits): unknown {
  checkNotebookSize(name, content.length, limits);
  const text = content.toString('utf8');
  const depth = jsonDepth(text);
  if (depth > limits.notebook_depth) {
    throw badRequest(
      'invalid_notebook',
      `The notebook "${name}" nests its JSON ${depth} levels deep; notebooks may nest at most ${limits.notebook_depth}. Remove the deeply nested metadata or outputs and submit again.`
    );
  }
  let nb: { nbformat?: unknown; cells?: unknown };
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw badRequest(
      'invalid_notebook',
      `The notebook "${name}" is not valid JSON (${(e as Error).message}). Save it from JupyterLab and submit again.`
    );
  }
  if (nb === null || typeof nb !== 'object' || nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw badRequest(
      'invalid_notebook',
      `"${name}" is not a Jupyter notebook in format 4 (it needs "nbformat": 4 and a "cells" list). Save it from JupyterLab and submit again.`
    );
  }
  return nb;
}
