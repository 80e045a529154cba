// Builds small Jupyter notebooks and bundles for tests and examples.
import { packBundle, type IBundleFile } from '../../hub-service/src/bundle/index.js';
import type { JobManifest, JobSubmission } from '../../hub-service/src/schema/index.js';

export function notebook(...cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: cells.map((source, i) => ({
      id: `cell-${i + 1}`,
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source
    }))
  });
}

export const file = (path: string, content: string | Buffer, mode = 0o644): IBundleFile => ({
  path,
  mode,
  content: Buffer.isBuffer(content) ? content : Buffer.from(content)
});

export async function submission(
  files: IBundleFile[],
  manifest: Partial<JobManifest> = {}
): Promise<JobSubmission> {
  return {
    manifest: { notebook: 'analysis.ipynb', study: 'demo', outputs: [], ...manifest },
    bundle: (await packBundle(files)).toString('base64')
  };
}
