import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import tar from 'tar-stream';
import { collectOutputs } from './outputs.js';

type Entry = Partial<tar.Header> & { name: string };

async function tarStream(entries: [Entry, string?][]): Promise<Readable> {
  const pack = tar.pack();
  for (const [header, body] of entries) {
    pack.entry(header as tar.Header, body ?? '');
  }
  pack.finalize();
  return Readable.from(pack);
}

describe('copying outputs out of the sandbox', () => {
  let dir = '';
  const into = () => (dir = mkdtempSync(join(tmpdir(), 'hbroker-out-')));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const caps = { maxBytes: 1000, maxFiles: 3 };

  it('writes regular files with their hashes', async () => {
    const result = await collectOutputs(
      await tarStream([[{ name: 'a/b.csv' }, 'x,y\n']]),
      into(),
      caps
    );
    assert.ok(result.ok);
    assert.deepEqual(result.files, [
      { path: 'a/b.csv', size: 4, sha256: createHash('sha256').update('x,y\n').digest('hex') }
    ]);
    assert.equal(readFileSync(join(dir, 'a/b.csv'), 'utf8'), 'x,y\n');
  });

  for (const [what, header, reason] of [
    [
      'a symlink',
      { name: 'link', type: 'symlink', linkname: '/data/secret.csv' },
      /"link" is a symlink/
    ],
    ['a hard link', { name: 'hard', type: 'link', linkname: 'a.csv' }, /"hard" is a link/],
    ['a device', { name: 'dev', type: 'character-device' }, /"dev" is a character-device/],
    ['a path outside the folder', { name: '../escape.csv' }, /climbs out/],
    ['an absolute path', { name: '/etc/cron.d/x' }, /is absolute/]
  ] as [string, Entry, RegExp][]) {
    it(`refuses ${what}`, async () => {
      const result = await collectOutputs(
        await tarStream([[header, header.type ? undefined : 'x']]),
        into(),
        caps
      );
      assert.equal(result.ok, false);
      assert.ok(!result.ok && !result.quota);
      assert.match(!result.ok ? result.reason : '', reason);
    });
  }

  it('stops at the size and file-count caps', async () => {
    const big = await collectOutputs(
      await tarStream([[{ name: 'big.csv' }, 'x'.repeat(1001)]]),
      into(),
      caps
    );
    assert.ok(!big.ok && big.quota);
    rmSync(dir, { recursive: true, force: true });
    const many = await collectOutputs(
      await tarStream(['1', '2', '3', '4'].map(n => [{ name: `${n}.txt` }, n] as [Entry, string])),
      into(),
      caps
    );
    assert.ok(!many.ok && many.quota);
    assert.match(!many.ok ? many.reason : '', /more than 3 output files/);
  });
});
