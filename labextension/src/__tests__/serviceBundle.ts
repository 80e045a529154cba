// Reads a tar the way the service receives a bundle (hub-service/src/bundle/receive.ts), for specs.
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Readable } from 'stream';
import { receiveBundle } from '../../../hub-service/src/bundle/receive';

export async function receivedByService(
  tar: Uint8Array,
  limits = { bundle_mb: 5, bundle_files: 100 }
): Promise<{ path: string; mode: number; content: Buffer }[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'hbroker-bundle-'));
  try {
    const bundle = await receiveBundle(
      Readable.from([Buffer.from(tar)]),
      join(scratch, 'in'),
      limits
    );
    return bundle.files.map(f => ({ path: f.path, mode: f.mode, content: readFileSync(f.file) }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
