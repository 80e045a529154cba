// Builds vetting candidates and contexts in memory for the checkers' unit tests.
import { createHash } from 'node:crypto';
import { ArtifactContent } from './content.js';
import {
  emptyDisclosureIndex,
  type ICandidate,
  type IDisclosureIndex,
  type IVetContext
} from './index.js';
import { cellOutputOf } from './notebook-artifacts.js';

export function fileCandidate(
  path: string,
  content: string | Buffer,
  kind: ICandidate['kind'] = 'output'
): ICandidate {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return {
    path,
    kind,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    read: async () => bytes
  };
}

export function outputCandidate(output: Record<string, unknown>, cell = 2, index = 0): ICandidate {
  const bytes = Buffer.from(JSON.stringify(output));
  return {
    ...fileCandidate(`analysis.ipynb/cells/${cell}/outputs/${index}`, bytes, 'cell_output'),
    cellOutput: cellOutputOf(cell, index, output)
  };
}

export const html = (markup: string) => ({
  output_type: 'execute_result',
  execution_count: 1,
  metadata: {},
  data: { 'text/html': markup, 'text/plain': 'a table' }
});

export const stream = (text: string, name = 'stdout') => ({ output_type: 'stream', name, text });

export function context(
  c: ICandidate,
  index: IDisclosureIndex = emptyDisclosureIndex
): IVetContext {
  return { index, content: new ArtifactContent(c, 5000) };
}
