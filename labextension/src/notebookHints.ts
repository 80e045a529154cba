// What a notebook says about itself before it is submitted: the study it names (its metadata
// `hbroker.study`, or a study id written in its code) and whether its last run here ended in an error.

/** The parts of a notebook (nbformat JSON) the hints read. */
export interface INotebookLike {
  metadata?: { [key: string]: unknown };
  cells: {
    cell_type: string;
    source: string | string[];
    outputs?: { output_type: string; ename?: string }[];
  }[];
}

export interface INamedStudy {
  id: string;
  /** The 0-based code cell index it is written in, or undefined for the notebook's metadata. */
  cell?: number;
}

const text = (source: string | string[]) => (Array.isArray(source) ? source.join('') : source);

// String and whole-number literals; a string's last path segment also counts ('../studies/demo').
const literals = /'([^'\n]*)'|"([^"\n]*)"|\b(\d+)\b/g;

function literalsOf(line: string): string[] {
  const found: string[] = [];
  for (const m of line.matchAll(literals)) {
    const value = m[1] ?? m[2] ?? m[3];
    found.push(value, value.split('/').pop() ?? value);
  }
  return found;
}

/**
 * The study the notebook names: `metadata.hbroker.study`, else the first known study id written as
 * a literal on a line of code that mentions a study (`study_id=30001`, `'../studies/demo'`), else a
 * literal given as `study_id=` even if it is no study this user may choose.
 */
export function studyNamedIn(nb: INotebookLike, known: string[]): INamedStudy | undefined {
  const fromMetadata = (nb.metadata?.hbroker as { study?: unknown } | undefined)?.study;
  if (typeof fromMetadata === 'string' || typeof fromMetadata === 'number') {
    return { id: String(fromMetadata) };
  }
  let unknown: INamedStudy | undefined;
  for (const [cell, c] of nb.cells.entries()) {
    if (c.cell_type !== 'code') {
      continue;
    }
    for (const line of text(c.source).split('\n')) {
      if (!/stud(y|ies)/i.test(line)) {
        continue;
      }
      const id = literalsOf(line).find(value => known.includes(value));
      if (id) {
        return { id, cell };
      }
      const given = /study_id\s*=\s*(?:'([^'\n]+)'|"([^"\n]+)"|(\d+)\b)/i.exec(line);
      if (given && !unknown) {
        unknown = { id: given[1] ?? given[2] ?? given[3], cell };
      }
    }
  }
  return unknown;
}

/** The first code cell whose saved outputs hold an error: where the last run here stopped. */
export function lastRunError(nb: INotebookLike): { cell: number; ename: string } | undefined {
  for (const [cell, c] of nb.cells.entries()) {
    const error = c.cell_type === 'code' && c.outputs?.find(o => o.output_type === 'error');
    if (error) {
      return { cell, ename: error.ename || 'an error' };
    }
  }
  return undefined;
}
