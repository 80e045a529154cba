// What a checker's preview shows of an artifact: tables (parsed as the vetting parses them, so the
// findings' row and column point at the right cells), an image, a cell output or text; and which
// cells and rows the findings flag.
import { csvTable, dataFrameTables, type ITable } from '../../../hub-service/src/vetting/tables';
import type { Artifact, Finding } from '../request';

export type { ITable };

export type Preview =
  | { kind: 'table'; tables: ITable[] }
  | { kind: 'image'; src: string }
  | { kind: 'text'; text: string };

/** Rows a preview table shows; the row count says how many there are in all. */
export const previewRows = 500;

/** Findings that did not pass, by table cell (`row:column`), by whole row, and by line of text. */
export interface IFlags {
  cells: Map<string, Finding[]>;
  rows: Map<number, Finding[]>;
  /** Every located finding by its row, column or not: for text, where a row is a line. */
  lines: Map<number, Finding[]>;
}

export function flags(findings: Finding[]): IFlags {
  const cells = new Map<string, Finding[]>();
  const rows = new Map<number, Finding[]>();
  const lines = new Map<number, Finding[]>();
  const add = <K>(map: Map<K, Finding[]>, key: K, f: Finding) =>
    map.set(key, [...(map.get(key) ?? []), f]);
  for (const f of findings) {
    const at = f.location;
    if (f.verdict === 'pass' || at?.row === undefined) {
      continue;
    }
    add(lines, at.row, f);
    if (at.column !== undefined) {
      add(cells, `${at.row}:${at.column}`, f);
    } else {
      add(rows, at.row, f);
    }
  }
  return { cells, rows, lines };
}

const imageTypes: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml'
};

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

// eslint-disable-next-line no-control-regex
const ansiColour = /\x1b\[[0-9;]*m/g;

function joined(value: unknown): string {
  return Array.isArray(value) ? value.join('') : String(value ?? '');
}

/** A table if the HTML holds pandas tables, else its text. */
function fromHtml(html: string): Preview {
  const tables = dataFrameTables(html, previewRows);
  if (tables.length) {
    return { kind: 'table', tables };
  }
  // Shown as text, never as markup: this is unvetted content.
  return { kind: 'text', text: html };
}

/** One nbformat output (as the service serves a cell_output artifact). */
function fromCellOutput(output: Record<string, unknown>): Preview {
  if (output.output_type === 'stream') {
    return { kind: 'text', text: joined(output.text) };
  }
  if (output.output_type === 'error') {
    return {
      kind: 'text',
      // Tracebacks carry terminal colour codes.
      text: ((output.traceback as string[] | undefined) ?? []).join('\n').replace(ansiColour, '')
    };
  }
  const data = (output.data ?? {}) as Record<string, unknown>;
  const image = Object.keys(data).find(m => m.startsWith('image/'));
  if (image === 'image/svg+xml') {
    return { kind: 'image', src: `data:image/svg+xml;base64,${btoa(joined(data[image]))}` };
  }
  if (image) {
    return { kind: 'image', src: `data:${image};base64,${joined(data[image]).trim()}` };
  }
  if (data['text/html'] !== undefined) {
    return fromHtml(joined(data['text/html']));
  }
  return { kind: 'text', text: joined(data['text/plain']) };
}

/** The preview of an artifact's content as the review route served it. */
export function previewOf(artifact: Artifact, body: Uint8Array): Preview {
  const extension = artifact.path.split('.').pop()?.toLowerCase() ?? '';
  if (artifact.kind !== 'cell_output' && imageTypes[extension]) {
    return { kind: 'image', src: `data:${imageTypes[extension]};base64,${base64(body)}` };
  }
  const text = new TextDecoder().decode(body);
  if (artifact.kind === 'cell_output') {
    return fromCellOutput(JSON.parse(text) as Record<string, unknown>);
  }
  if (artifact.kind === 'notebook') {
    // Its outputs are artifacts of their own; here the checker reads the code that made them.
    const nb = JSON.parse(text) as { cells?: { cell_type: string; source: unknown }[] };
    return {
      kind: 'text',
      text: (nb.cells ?? [])
        .map((c, i) => `[${i}] ${c.cell_type}\n${joined(c.source)}`)
        .join('\n\n')
    };
  }
  if (extension === 'csv') {
    const table = csvTable(text, previewRows);
    return table ? { kind: 'table', tables: [table] } : { kind: 'text', text };
  }
  if (extension === 'html' || extension === 'htm') {
    return fromHtml(text);
  }
  return { kind: 'text', text };
}
