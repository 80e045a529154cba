// Notebooks rebuilt for release from an allow-list: what a reader sees (cells, sources, outputs' text,
// allowed representations) is kept, and everything else (output, cell and notebook metadata, transient
// data, attachments, widget state) is dropped and counted, so nothing the checks did not read leaves.
import {
  findHiddenCharacters,
  stripHiddenCharacters,
  type IHiddenCharacters
} from '../bundle/hidden-characters.js';
import { derivePng, deriveJpeg } from './image.js';
import { deriveHtml, deriveSvg } from './markup.js';
import { droppedPngChunks } from './png-chunks.js';
import { UnparsableContent, cleanJson } from './text.js';

type Json = Record<string, unknown>;

/** The representations a released output may keep: what the checks read or a checker can look at. */
export const releasedMimes = [
  'text/plain',
  'text/html',
  'text/markdown',
  'text/latex',
  'application/json',
  'image/png',
  'image/jpeg',
  'image/svg+xml'
];

const kernelspecKeys = ['name', 'display_name', 'language'];
const languageInfoKeys = [
  'name',
  'version',
  'mimetype',
  'file_extension',
  'pygments_lexer',
  'nbconvert_exporter',
  'codemirror_mode'
];

// eslint-disable-next-line no-control-regex -- tracebacks carry ANSI colour codes, which are not data
const ansi = /\x1b\[[0-9;]*[A-Za-z]/g;

const joined = (value: unknown): string =>
  Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '';

/** Text written back in the shape it came in: nbformat allows a string or a list of lines. */
function likeOriginal(original: unknown, text: string): string | string[] {
  return Array.isArray(original) ? (text.match(/[^\n]*\n|[^\n]+$/g) ?? []) : text;
}

/** What rebuilding one output changed: hidden characters removed, things dropped or re-encoded. */
export interface IOutputChanges {
  hidden: IHiddenCharacters;
  /** Sentences: "its metadata (2 keys)", "a representation of type application/x-foo", … */
  dropped: string[];
  reencoded: string[];
  /** Representations that could not be read (an image that does not decode): dropped, and the output fails. */
  problems: string[];
}

function noteHidden(texts: string[]): IHiddenCharacters {
  return findHiddenCharacters(texts.join('\n'));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One representation of a display output, re-derived, or undefined when it cannot be. */
function deriveRepresentation(mime: string, value: unknown): unknown {
  if (mime === 'application/json') {
    return cleanJson(value);
  }
  const text = joined(value);
  if (mime === 'text/html') {
    return likeOriginal(value, deriveHtml(text));
  }
  if (mime === 'image/svg+xml') {
    return deriveSvg(text);
  }
  if (mime === 'image/png' || mime === 'image/jpeg') {
    const bytes = Buffer.from(text, 'base64');
    const derived =
      mime === 'image/png'
        ? derivePng(bytes, 'The image in this output')
        : deriveJpeg(bytes, 'The image in this output');
    return `${derived.toString('base64')}\n`;
  }
  return likeOriginal(value, stripHiddenCharacters(text));
}

/** The texts a reader (and the hidden-character check) sees in an output, in order. */
export function outputTexts(output: Json): string[] {
  if (output.output_type === 'stream') {
    return [joined(output.text)];
  }
  if (output.output_type === 'error') {
    const traceback = Array.isArray(output.traceback) ? output.traceback.map(String) : [];
    return [String(output.ename ?? ''), String(output.evalue ?? ''), ...traceback].map(t =>
      t.replace(ansi, '')
    );
  }
  const data = (output.data ?? {}) as Json;
  return Object.entries(data)
    .filter(([mime]) => !mime.startsWith('image/') || mime === 'image/svg+xml')
    .map(([mime, v]) => (mime === 'application/json' ? JSON.stringify(v) : joined(v)));
}

const unknownOutput = {
  output_type: 'display_data',
  data: { 'text/plain': 'HBroker: an output of an unknown type was dropped on release.' },
  metadata: {}
};

/**
 * One cell output rebuilt from the allow-list: `output_type`, a stream's `name` and `text`, an error's
 * `ename`, `evalue` and `traceback` (without colour codes), `data` of the released MIME types re-derived,
 * `execution_count`; `metadata` is always empty and `transient` is gone.
 */
export function rebuildOutput(output: Json): { output: Json; changes: IOutputChanges } {
  const changes: IOutputChanges = {
    hidden: noteHidden(outputTexts(output)),
    dropped: [],
    reencoded: [],
    problems: []
  };
  const type = output.output_type;
  const keep = new Set(['output_type']);
  let rebuilt: Json;
  if (type === 'stream') {
    rebuilt = {
      output_type: 'stream',
      name: output.name === 'stderr' ? 'stderr' : 'stdout',
      text: likeOriginal(output.text, stripHiddenCharacters(joined(output.text)))
    };
    ['name', 'text'].forEach(k => keep.add(k));
  } else if (type === 'error') {
    rebuilt = {
      output_type: 'error',
      ename: stripHiddenCharacters(String(output.ename ?? '')),
      evalue: stripHiddenCharacters(String(output.evalue ?? '')),
      traceback: (Array.isArray(output.traceback) ? output.traceback : []).map(t =>
        stripHiddenCharacters(String(t).replace(ansi, ''))
      )
    };
    ['ename', 'evalue', 'traceback'].forEach(k => keep.add(k));
  } else if (type === 'display_data' || type === 'execute_result') {
    const data: Json = {};
    for (const [mime, value] of Object.entries((output.data ?? {}) as Json)) {
      if (!releasedMimes.includes(mime)) {
        changes.dropped.push(`a representation of type ${mime}`);
        continue;
      }
      try {
        data[mime] = deriveRepresentation(mime, value);
      } catch (e) {
        if (!(e instanceof UnparsableContent)) {
          throw e;
        }
        changes.problems.push(e.message);
        continue;
      }
      const chunks = mime === 'image/png' && droppedPngChunks(Buffer.from(joined(value), 'base64'));
      if (chunks) {
        changes.dropped.push(`from its PNG image ${chunks}`);
      }
      if (mime.startsWith('image/')) {
        changes.reencoded.push(
          mime === 'image/svg+xml'
            ? 'its SVG, without scripts, foreign objects, links or metadata'
            : `its ${mime === 'image/png' ? 'PNG' : 'JPEG'} image, decoded and encoded again without text, EXIF or other chunks`
        );
      }
    }
    rebuilt = { output_type: type, data, metadata: {} };
    keep.add('data');
    if (type === 'execute_result') {
      rebuilt.execution_count = Number.isInteger(output.execution_count)
        ? output.execution_count
        : null;
      keep.add('execution_count');
    }
  } else {
    changes.dropped.push('an output of an unknown type');
    return { output: { ...unknownOutput }, changes };
  }
  const metadata = output.metadata as Json | undefined;
  if (metadata && typeof metadata === 'object' && Object.keys(metadata).length > 0) {
    changes.dropped.push(`its metadata (${plural(Object.keys(metadata).length, 'key')})`);
  }
  const others = Object.keys(output).filter(k => !keep.has(k) && k !== 'metadata');
  if (others.length > 0) {
    changes.dropped.push(
      others.includes('transient')
        ? `its transient data${others.length > 1 ? ` and ${plural(others.length - 1, 'other field')}` : ''}`
        : plural(others.length, 'other field')
    );
  }
  return { output: rebuilt, changes };
}

/** A cell id as nbformat allows it; anything else is replaced. */
const cellId = /^[a-zA-Z0-9-_]{1,64}$/;

export interface INotebookLike {
  cells?: Json[];
  metadata?: Json;
  nbformat?: unknown;
  nbformat_minor?: unknown;
  [key: string]: unknown;
}

function pick(source: unknown, keys: string[]): Json | undefined {
  if (!source || typeof source !== 'object') {
    return undefined;
  }
  const kept: Json = {};
  for (const k of keys) {
    const v = (source as Json)[k];
    if (typeof v === 'string') {
      kept[k] = stripHiddenCharacters(v);
    } else if (k === 'codemirror_mode' && v && typeof v === 'object') {
      const mode = v as Json;
      if (typeof mode.name === 'string') {
        kept[k] = {
          name: stripHiddenCharacters(mode.name),
          ...(typeof mode.version === 'number' ? { version: mode.version } : {})
        };
      }
    }
  }
  return kept;
}

/**
 * The notebook rebuilt from the allow-list; `outputFor(cell, output, original)` gives each output as it
 * is released (rebuilt, or a note when withheld), or undefined for the shell (no outputs) that is vetted.
 */
export function rebuildNotebook(
  nb: INotebookLike,
  outputFor?: (cell: number, output: number, original: Json) => Json
): Json {
  const dropped = { cellMetadata: 0, attachments: 0, notebookKeys: 0, cellFields: 0 };
  const minor = Number.isInteger(nb.nbformat_minor) ? (nb.nbformat_minor as number) : 4;
  const cells = (Array.isArray(nb.cells) ? nb.cells : []).map((cell, i) => {
    const type = ['code', 'markdown', 'raw'].includes(cell.cell_type as string)
      ? (cell.cell_type as string)
      : 'raw';
    const rebuilt: Json = {};
    if (minor >= 5) {
      rebuilt.id = typeof cell.id === 'string' && cellId.test(cell.id) ? cell.id : `cell-${i}`;
    }
    rebuilt.cell_type = type;
    rebuilt.metadata = {};
    rebuilt.source = likeOriginal(cell.source, stripHiddenCharacters(joined(cell.source)));
    const metadata = cell.metadata as Json | undefined;
    if (metadata && typeof metadata === 'object' && Object.keys(metadata).length > 0) {
      dropped.cellMetadata++;
    }
    if (cell.attachments !== undefined) {
      dropped.attachments++;
    }
    if (type === 'code') {
      rebuilt.execution_count = Number.isInteger(cell.execution_count)
        ? cell.execution_count
        : null;
      const outputs = Array.isArray(cell.outputs) ? (cell.outputs as Json[]) : [];
      rebuilt.outputs = outputFor ? outputs.map((o, j) => outputFor(i, j, o)) : [];
    }
    const known = [
      'id',
      'cell_type',
      'metadata',
      'source',
      'attachments',
      'execution_count',
      'outputs'
    ];
    dropped.cellFields += Object.keys(cell).filter(k => !known.includes(k)).length;
    return rebuilt;
  });
  const metadata = (nb.metadata ?? {}) as Json;
  const kept: Json = {};
  const kernelspec = pick(metadata.kernelspec, kernelspecKeys);
  const languageInfo = pick(metadata.language_info, languageInfoKeys);
  if (kernelspec) {
    kept.kernelspec = kernelspec;
  }
  if (languageInfo) {
    kept.language_info = languageInfo;
  }
  dropped.notebookKeys = Object.keys(metadata).filter(
    k => k !== 'kernelspec' && k !== 'language_info'
  ).length;
  const notes = [
    dropped.notebookKeys &&
      `notebook metadata (${plural(dropped.notebookKeys, 'key')}, e.g. widget state)`,
    dropped.cellMetadata && `the metadata of ${plural(dropped.cellMetadata, 'cell')}`,
    dropped.attachments && `the attachments of ${plural(dropped.attachments, 'cell')}`,
    dropped.cellFields && plural(dropped.cellFields, 'unknown cell field')
  ].filter((n): n is string => Boolean(n));
  kept.hbroker = {
    released:
      'Rebuilt by HBroker on release: only cells, their sources and the released outputs are kept.',
    dropped: [...notes, 'every output’s metadata and transient data']
  };
  return { cells, metadata: kept, nbformat: 4, nbformat_minor: minor };
}
