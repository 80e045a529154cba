// Path rules shared by bundles and outputs: relative, inside the folder, no tricks, names a reader can see.
import { posix } from 'node:path';
import { hasHiddenCharacters, revealHiddenCharacters } from './hidden-characters.js';

/** The longest path, the deepest folder nesting and the longest single name a bundle or output may have. */
export const pathLimits = { maxPathLength: 1024, maxDepth: 32, maxNameBytes: 255 } as const;

/**
 * Returns the normalised relative path, or a sentence saying why it is refused.
 * Refuses absolute paths, `..` segments, backslashes, NUL and every other character a reader cannot
 * see (controls, bidi overrides, zero-width and other invisible characters: the rule of
 * hidden-characters.ts), and paths longer, deeper or with a longer name than `pathLimits`.
 */
export function safeRelativePath(raw: string): { path: string } | { refused: string } {
  if (raw.length > pathLimits.maxPathLength) {
    return {
      refused: `is ${raw.length} characters long; paths may have at most ${pathLimits.maxPathLength}`
    };
  }
  if (raw.includes('\0')) {
    return { refused: 'contains a NUL character' };
  }
  const name = raw.replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (name === '' || name === '.') {
    return { refused: 'is empty' };
  }
  if (name.startsWith('/')) {
    return { refused: 'is absolute; paths must be relative to the notebook folder' };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\\\x00-\x1f]/.test(name)) {
    return { refused: 'contains a backslash or a control character' };
  }
  if (hasHiddenCharacters(name)) {
    return {
      refused: `contains characters a reader cannot see (${revealHiddenCharacters(name)}); rename it with visible characters only`
    };
  }
  const segments = name.split('/');
  if (segments.includes('..')) {
    return { refused: 'climbs out of the folder with ".."' };
  }
  if (segments.length > pathLimits.maxDepth) {
    return {
      refused: `is ${segments.length} folders deep; paths may be at most ${pathLimits.maxDepth} deep`
    };
  }
  const long = segments.find(s => Buffer.byteLength(s) > pathLimits.maxNameBytes);
  if (long !== undefined) {
    return {
      refused: `has a name of ${Buffer.byteLength(long)} bytes; names may have at most ${pathLimits.maxNameBytes} bytes`
    };
  }
  return { path: posix.normalize(name) };
}

/** A path as a sentence may quote it: hidden characters shown as code points, cut after 120 characters. */
export function shownPath(raw: string): string {
  const cut = raw.length > 120 ? `${raw.slice(0, 120)}…` : raw;
  return revealHiddenCharacters(cut);
}
