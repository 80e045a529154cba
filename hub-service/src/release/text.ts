// Text formats re-derived for release: parsed, cleaned of hidden characters, written again from the parse.
import { stripHiddenCharacters } from '../bundle/hidden-characters.js';
import { parseCsv } from '../vetting/tables.js';

/** A parse that failed, with a sentence saying what was wrong and what to do. */
export class UnparsableContent extends Error {}

const needsQuotes = /[",\r\n]/;

const csvField = (field: string) =>
  needsQuotes.test(field) ? `"${field.replaceAll('"', '""')}"` : field;

/**
 * A CSV written again from its records: RFC 4180 quoting where a field needs it, `\n` line ends,
 * no blank lines. Hidden characters are removed before (deriveFile).
 */
export function deriveCsv(clean: string, path: string): string {
  if (!clean.includes('"')) {
    // Without quotes a record is a line: the parse and the writing are line ends and blank lines only.
    if (!clean.includes('\r') && !clean.includes('\n\n') && !clean.startsWith('\n')) {
      return clean === '' || clean.endsWith('\n') ? clean : `${clean}\n`;
    }
    const lines = clean.split(/\r\n|\r|\n/).filter(line => line !== '');
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
  if ((clean.match(/"/g)?.length ?? 0) % 2 === 1) {
    throw new UnparsableContent(
      `"${path}" is not a valid CSV file: a quoted field never ends. Write it with DataFrame.to_csv or the csv module.`
    );
  }
  const { records } = parseCsv(clean, Infinity);
  return records.map(r => r.map(csvField).join(',')).join('\n') + (records.length ? '\n' : '');
}

/** Every string of a parsed JSON value, keys included, without hidden characters. */
export function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') {
    return stripHiddenCharacters(value);
  }
  if (Array.isArray(value)) {
    return value.map(cleanJson);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [stripHiddenCharacters(k), cleanJson(v)])
    );
  }
  return value;
}

/** JSON written again from its parse (two-space indent), hidden characters removed from every string. */
export function deriveJson(text: string, path: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UnparsableContent(
      `"${path}" is not valid JSON (${(e as Error).message}). Write it with json.dump or DataFrame.to_json; NaN and Infinity are not JSON.`
    );
  }
  return `${JSON.stringify(cleanJson(value), null, 2)}\n`;
}

/** Plain text (txt, md, log): its characters (hidden ones are removed before, by deriveFile). */
export const derivePlainText = (text: string) => text;
