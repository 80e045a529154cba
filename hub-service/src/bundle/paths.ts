// Path rules shared by bundles and outputs: relative, inside the folder, no tricks.
import { posix } from 'node:path';

/**
 * Returns the normalised relative path, or a sentence saying why it is refused.
 * Refuses absolute paths, `..` segments, backslashes and control characters.
 */
export function safeRelativePath(raw: string): { path: string } | { refused: string } {
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
  if (name.split('/').includes('..')) {
    return { refused: 'climbs out of the folder with ".."' };
  }
  return { path: posix.normalize(name) };
}
