// The release stage's public face: every file and cell output is re-derived from its parse, so what
// leaves is what HBroker wrote from vetted content, never bytes passed through.
import { extname } from 'node:path';
import {
  findHiddenCharacters,
  stripHiddenCharacters,
  type IHiddenCharacters
} from '../bundle/hidden-characters.js';
import { derivePng, deriveJpeg } from './image.js';
import { deriveHtml, deriveSvg } from './markup.js';
import { droppedPngChunks } from './png-chunks.js';
import { rebuildNotebook, rebuildOutput, type INotebookLike } from './notebook.js';
import { contentMismatch, sniff } from './sniff.js';
import { UnparsableContent, deriveCsv, deriveJson, derivePlainText } from './text.js';

/** A file as release writes it, and what that changed. */
export interface IReleaseForm {
  /** The bytes released (and vetted); when `problem` is set, the stored bytes, which never leave. */
  bytes: Buffer;
  /** Those bytes as text, when they are text (what the checks read). */
  text?: string;
  /** Hidden characters the stored content held; release removes them. */
  hidden: IHiddenCharacters;
  /** What release drops and re-encodes, as phrases for a finding. */
  dropped: string[];
  reencoded: string[];
  /** Why this file cannot be released under its name (a content mismatch, a failed parse). */
  problem?: string;
  /** True when `bytes` are the stored bytes (written back unchanged, or never to leave). */
  unchanged?: boolean;
  /** True when release has no way to re-derive this type and would pass the bytes as written. */
  opaque?: boolean;
}

const none: IHiddenCharacters = { count: 0, lines: [], kinds: {} };

const names: Record<string, string> = {
  csv: 'a CSV file',
  tsv: 'a TSV file',
  json: 'a JSON file',
  txt: 'a text file',
  md: 'a Markdown file',
  log: 'a log file',
  html: 'an HTML file',
  htm: 'an HTML file',
  svg: 'an SVG image',
  ipynb: 'a notebook',
  png: 'a PNG image',
  jpg: 'a JPEG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  pdf: 'a PDF document',
  webp: 'a WebP image'
};
const described = (type: string) => names[type] ?? `a .${type} file`;

const textDerivers: Record<string, (text: string, path: string) => string> = {
  csv: deriveCsv,
  json: deriveJson,
  txt: derivePlainText,
  md: derivePlainText,
  log: derivePlainText,
  tsv: derivePlainText,
  html: deriveHtml,
  htm: deriveHtml,
  svg: deriveSvg,
  ipynb: (text, path) => {
    let nb: INotebookLike;
    try {
      nb = JSON.parse(text) as INotebookLike;
    } catch {
      throw new UnparsableContent(`"${path}" is not a notebook (it is not JSON).`);
    }
    return `${JSON.stringify(
      rebuildNotebook(nb, (_i, _j, o) => rebuildOutput(o).output),
      null,
      1
    )}\n`;
  }
};

const reencodedBy: Record<string, string> = {
  html: 'its HTML, written again without scripts, styles, comments, links or unlisted attributes',
  htm: 'its HTML, written again without scripts, styles, comments, links or unlisted attributes',
  svg: 'its SVG, without scripts, foreign objects, links or metadata',
  png: 'the PNG, decoded and encoded again without text, EXIF, ICC or other ancillary chunks',
  jpg: 'the JPEG, decoded and encoded again (quality 90) without EXIF, ICC or comments',
  jpeg: 'the JPEG, decoded and encoded again (quality 90) without EXIF, ICC or comments',
  json: 'its JSON, written again from the parse',
  csv: 'its CSV, written again from the parse',
  ipynb: 'the notebook, rebuilt from cells, sources and outputs'
};

/** The file at `path` as release writes it: type by content, parsed, written again. Never throws. */
export function deriveFile(path: string, stored: Buffer): IReleaseForm {
  const type = extname(path).slice(1).toLowerCase();
  const sniffed = sniff(stored);
  const base = { hidden: none, dropped: [] as string[], reencoded: [] as string[] };
  const mismatch = contentMismatch(path, type, sniffed, described);
  if (mismatch) {
    return { ...base, bytes: stored, unchanged: true, problem: mismatch };
  }
  const reencoded = reencodedBy[type] ? [reencodedBy[type]] : [];
  try {
    if (type === 'png' || type === 'jpg' || type === 'jpeg') {
      const bytes =
        type === 'png' ? derivePng(stored, `"${path}"`) : deriveJpeg(stored, `"${path}"`);
      const dropped = type === 'png' ? droppedPngChunks(stored) : undefined;
      return { ...base, bytes, reencoded, dropped: dropped ? [dropped] : [] };
    }
    const derive = textDerivers[type];
    if (sniffed.kind === 'text' && derive) {
      // One scan finds the hidden characters; only a text that has some is rewritten without them.
      const hidden = findHiddenCharacters(sniffed.text);
      const clean = hidden.count > 0 ? stripHiddenCharacters(sniffed.text) : sniffed.text;
      const text = derive(clean, path);
      return {
        ...base,
        // Most clean files are written back exactly as they were: no need to encode them again.
        bytes: text === sniffed.text ? stored : Buffer.from(text),
        unchanged: text === sniffed.text,
        text,
        hidden,
        reencoded
      };
    }
  } catch (e) {
    if (e instanceof UnparsableContent) {
      return {
        ...base,
        bytes: stored,
        unchanged: true,
        text: sniffed.kind === 'text' ? sniffed.text : undefined,
        problem: e.message
      };
    }
    throw e;
  }
  return {
    ...base,
    bytes: stored,
    unchanged: true,
    text: sniffed.kind === 'text' ? sniffed.text : undefined,
    opaque: true
  };
}

export { rebuildNotebook, rebuildOutput, releasedMimes, type IOutputChanges } from './notebook.js';
export { sniff, contentMismatch, type Sniffed } from './sniff.js';
