// The browser's tar is one the service unpacks: same files, modes and contents, long paths too.
import { receivedByService } from './serviceBundle';
import { fromBase64, packTar, toBase64 } from '../tar';

const text = (s: string) => new TextEncoder().encode(s);

describe('packTar', () => {
  it('writes a tar the service reads back file for file', async () => {
    const long = `${'deep/'.repeat(30)}data.csv`;
    const binary = new Uint8Array(70000).map((_, i) => (i * 7) % 256);
    const tar = packTar([
      { path: 'analysis.ipynb', content: text('{"cells": []}') },
      { path: 'lib/run.sh', content: text('echo hi\n'), mode: 0o755 },
      { path: long, content: text('a,b\n1,2\n') },
      { path: 'blob.bin', content: binary }
    ]);
    expect(tar.length % 512).toBe(0);
    const files = await receivedByService(tar, { bundle_mb: 5, bundle_files: 10 });
    const byPath = new Map(files.map(f => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual(
      ['analysis.ipynb', 'blob.bin', 'lib/run.sh', long].sort()
    );
    expect(byPath.get('lib/run.sh')!.mode).toBe(0o755);
    expect(byPath.get('analysis.ipynb')!.mode).toBe(0o644);
    expect(Buffer.compare(byPath.get('blob.bin')!.content, Buffer.from(binary))).toBe(0);
    expect(byPath.get(long)!.content.toString()).toBe('a,b\n1,2\n');
  });

  it('refuses a name it cannot split into ustar fields', () => {
    expect(() => packTar([{ path: 'x'.repeat(120), content: text('') }])).toThrow(/too long/);
  });

  it('round-trips base64 of large binary data', () => {
    const bytes = new Uint8Array(100000).map((_, i) => i % 251);
    const encoded = toBase64(bytes);
    expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
    expect(fromBase64(encoded)).toEqual(bytes);
  });
});
