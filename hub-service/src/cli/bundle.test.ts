import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bundleNotebookFolder } from './bundle.js';

describe('hbroker submit bundles a folder', () => {
  const folder = mkdtempSync(join(tmpdir(), 'hbroker-cli-bundle-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  mkdirSync(join(folder, 'big'));
  writeFileSync(join(folder, 'analysis.ipynb'), '{}');
  writeFileSync(join(folder, 'big', 'raw.parquet'), 'x');
  writeFileSync(join(folder, 'notes.md'), 'private');
  writeFileSync(join(folder, 'keep.csv'), 'a\n1\n');

  it('honours the visible hbroker-ignore.txt the lab extension reads, and .hbrokerignore too', () => {
    writeFileSync(join(folder, 'hbroker-ignore.txt'), 'big/\n');
    writeFileSync(join(folder, '.hbrokerignore'), 'notes.md\n');
    const paths = bundleNotebookFolder(join(folder, 'analysis.ipynb')).files.map(f => f.path);
    assert.deepEqual(paths, ['.hbrokerignore', 'analysis.ipynb', 'hbroker-ignore.txt', 'keep.csv']);
  });
});
