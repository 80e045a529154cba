// Characters a reader cannot see: one rule for names at submission, names at release and released text.
//
// Each of these can carry bits past a human eye (a zero-width run encoding values, a right-to-left
// override disguising a name), so both the bundle's names and every released text treat them alike.

/** What kind of hidden character was found, in the words a finding uses. */
export type HiddenCharacterKind =
  | 'control'
  | 'format'
  | 'bidi control'
  | 'tag'
  | 'private use'
  | 'unassigned'
  | 'lone surrogate'
  | 'variation selector'
  | 'invisible filler'
  | 'unusual space';

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const TAG = /[\u{E0000}-\u{E007F}]/u;
// Variation selectors other than VS15/VS16 (text/emoji presentation, which ordinary text uses).
const VARIATION = /[\u180B-\u180D\u180F\uFE00-\uFE0D\u{E0100}-\u{E01EF}]/u;
// Letters and marks that render as nothing (a combining mark alone in a class is the point here).
// eslint-disable-next-line no-misleading-character-class
const FILLER = /[\u034F\u115F\u1160\u17B4\u17B5\u2800\u3164\uFFA0]/u;
const SPACE = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/u;
// Controls other than tab, line feed and carriage return.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/u;
const ANY =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\p{Cf}\p{Co}\p{Cn}\p{Cs}\u180B-\u180D\u180F\uFE00-\uFE0D\u{E0100}-\u{E01EF}\u034F\u115F\u1160\u17B4\u17B5\u2800\u3164\uFFA0\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/gu;

/** True when the text is printable ASCII, tabs and line ends only, so it cannot hold a hidden character. */
// eslint-disable-next-line no-control-regex -- one simple class: far cheaper than ANY on a large text
const NOT_PLAIN = /[^\x09\x0A\x0D\x20-\x7E]/;
const isPlain = (text: string) => !NOT_PLAIN.test(text);

/** The kind of one character (a code point as a string), or undefined when a reader can see it. */
export function hiddenCharacterKind(char: string): HiddenCharacterKind | undefined {
  if (CONTROL.test(char)) {
    return 'control';
  }
  if (BIDI.test(char)) {
    return 'bidi control';
  }
  if (TAG.test(char)) {
    return 'tag';
  }
  if (VARIATION.test(char)) {
    return 'variation selector';
  }
  if (FILLER.test(char)) {
    return 'invisible filler';
  }
  if (SPACE.test(char)) {
    return 'unusual space';
  }
  if (/\p{Cf}/u.test(char)) {
    return 'format';
  }
  if (/\p{Co}/u.test(char)) {
    return 'private use';
  }
  if (/\p{Cs}/u.test(char)) {
    return 'lone surrogate';
  }
  if (/\p{Cn}/u.test(char)) {
    return 'unassigned';
  }
  return undefined;
}

export interface IHiddenCharacters {
  /** How many hidden characters the text holds. */
  count: number;
  /** 1-based line numbers that hold at least one, in order. */
  lines: number[];
  /** How many of each kind. */
  kinds: Partial<Record<HiddenCharacterKind, number>>;
}

/** Finds every hidden character in a text; tab, line feed and carriage return are ordinary. */
export function findHiddenCharacters(text: string): IHiddenCharacters {
  const found: IHiddenCharacters = { count: 0, lines: [], kinds: {} };
  // Most outputs are plain ASCII: one cheap scan says so.
  if (isPlain(text)) {
    return found;
  }
  ANY.lastIndex = 0;
  let line = 1;
  let scanned = 0;
  for (const match of text.matchAll(ANY)) {
    for (
      let i = text.indexOf('\n', scanned);
      i !== -1 && i < match.index;
      i = text.indexOf('\n', i + 1)
    ) {
      line++;
      scanned = i + 1;
    }
    const kind = hiddenCharacterKind(match[0]) ?? 'format';
    found.count++;
    found.kinds[kind] = (found.kinds[kind] ?? 0) + 1;
    if (found.lines[found.lines.length - 1] !== line) {
      found.lines.push(line);
    }
  }
  return found;
}

/** True when a name holds anything a reader cannot see. */
export function hasHiddenCharacters(text: string): boolean {
  ANY.lastIndex = 0;
  const hit = ANY.test(text);
  ANY.lastIndex = 0;
  return hit;
}

/** The text with every hidden character shown as its code point, e.g. `⟦U+200B⟧`, for previews and sentences. */
export function revealHiddenCharacters(text: string): string {
  return text.replace(
    ANY,
    char => `⟦U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟧`
  );
}

/**
 * The text with every hidden character removed, and unusual spaces made ordinary ones: what release
 * writes, so a run of invisible characters cannot carry bits past the checks or a checker's eye.
 */
export function stripHiddenCharacters(text: string): string {
  if (isPlain(text)) {
    return text;
  }
  ANY.lastIndex = 0;
  if (!ANY.test(text)) {
    ANY.lastIndex = 0;
    return text;
  }
  ANY.lastIndex = 0;
  return text.replace(ANY, char => (SPACE.test(char) ? ' ' : ''));
}

/** The text cut into visible runs and single hidden characters, for previews that mark each one. */
export function splitHiddenCharacters(text: string): { text: string; hidden: boolean }[] {
  const parts: { text: string; hidden: boolean }[] = [];
  let at = 0;
  for (const match of text.matchAll(ANY)) {
    if (match.index > at) {
      parts.push({ text: text.slice(at, match.index), hidden: false });
    }
    parts.push({ text: match[0], hidden: true });
    at = match.index + match[0].length;
  }
  if (at < text.length) {
    parts.push({ text: text.slice(at), hidden: false });
  }
  return parts;
}
