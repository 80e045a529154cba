import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Artifact } from '../schema/index.js';
import { runCandidates } from './notebook-artifacts.js';
import { servedArtifact } from './release.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'hbroker-vetting-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const nb = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: 'markdown', source: '# hi', metadata: {} },
    {
      cell_type: 'code',
      source: 'print(1)',
      metadata: {},
      outputs: [
        { output_type: 'stream', name: 'stdout', text: 'clean\n' },
        { output_type: 'stream', name: 'stderr', text: 'secret\n' }
      ]
    },
    {
      cell_type: 'code',
      source: 'df',
      metadata: {},
      outputs: [
        {
          output_type: 'display_data',
          data: { 'image/png': 'iVBO', 'text/plain': 'fig' },
          metadata: {}
        }
      ]
    }
  ]
};
writeFileSync(join(dir, 'analysis.ipynb'), JSON.stringify(nb));
writeFileSync(join(dir, 'summary.csv'), 'a,n\nx,12\n');

describe('the artifacts of a run', () => {
  const candidates = runCandidates(
    [
      { path: 'analysis.ipynb', size: 10, sha256: 'a'.repeat(64) },
      { path: 'summary.csv', size: 9, sha256: 'b'.repeat(64) },
      { path: 'hbroker-logs/kernel.log', size: 12, sha256: 'c'.repeat(64) }
    ],
    'analysis.ipynb',
    dir
  );

  it('leave out an empty log: a checker is never asked to review nothing', () => {
    const paths = runCandidates(
      [
        { path: 'summary.csv', size: 9, sha256: 'b'.repeat(64) },
        { path: 'hbroker-logs/kernel.log', size: 0, sha256: 'c'.repeat(64) }
      ],
      'analysis.ipynb',
      dir
    ).map(c => c.path);
    assert.deepEqual(paths, ['summary.csv']);
  });

  it('are the notebook, every cell output, each file and the log', async () => {
    assert.deepEqual(
      candidates.map(c => [c.path, c.kind, c.cellOutput?.mime, c.cellOutput?.stream]),
      [
        ['analysis.ipynb', 'notebook', undefined, undefined],
        ['analysis.ipynb/cells/1/outputs/0', 'cell_output', 'text/plain', 'stdout'],
        ['analysis.ipynb/cells/1/outputs/1', 'cell_output', 'text/plain', 'stderr'],
        ['analysis.ipynb/cells/2/outputs/0', 'cell_output', 'image/png', undefined],
        ['summary.csv', 'output', undefined, undefined],
        ['hbroker-logs/kernel.log', 'log', undefined, undefined]
      ]
    );
    // The notebook's own artifact is checked without its outputs: they are checked one by one.
    assert.doesNotMatch((await candidates[0].read()).toString(), /secret/);
    assert.match((await candidates[2].read()).toString(), /secret/);
  });

  it('serve the notebook with unreleased outputs replaced by a note, and released cell outputs as vetted', () => {
    const artifacts: Artifact[] = candidates.map(c => ({
      path: c.path,
      kind: c.kind,
      size: c.size,
      sha256: c.sha256,
      status: c.path.endsWith('1/outputs/0') || c.kind === 'notebook' ? 'released' : 'withheld',
      findings: [],
      ...(c.cellOutput ? { cell_output: c.cellOutput } : {})
    }));
    const served = servedArtifact(dir, artifacts[0], artifacts);
    assert.ok(served && 'body' in served);
    const text = served.body.toString();
    assert.doesNotMatch(text, /secret|iVBO/);
    const cells = JSON.parse(text).cells;
    assert.equal(cells[1].outputs[0].text, 'clean\n');
    assert.match(cells[1].outputs[1].data['text/plain'], /not released/);
    assert.equal(cells[2].outputs[0].metadata.hbroker.withheld, 'analysis.ipynb/cells/2/outputs/0');
    const output = servedArtifact(dir, artifacts[1], artifacts);
    assert.ok(output && 'body' in output);
    assert.equal(output.sha256, artifacts[1].sha256);
    // A file is served as release writes it again, which for a clean CSV is what was stored.
    const csv = servedArtifact(dir, { ...artifacts[4], sha256: sha('a,n\nx,12\n') }, artifacts);
    assert.equal(csv?.body.toString(), 'a,n\nx,12\n');
    // Bytes that are not what was vetted never leave.
    assert.equal(servedArtifact(dir, artifacts[4], artifacts), undefined);
  });

  it('serve no notebook that is not JSON: it cannot be rebuilt', () => {
    writeFileSync(join(dir, 'broken.ipynb'), 'not json');
    const [c] = runCandidates(
      [{ path: 'broken.ipynb', size: 8, sha256: 'd'.repeat(64) }],
      'broken.ipynb',
      dir
    );
    assert.equal(c.kind, 'notebook');
    const artifact: Artifact = {
      path: c.path,
      kind: c.kind,
      size: 8,
      sha256: c.sha256,
      status: 'released',
      findings: []
    };
    assert.equal(servedArtifact(dir, artifact, [artifact]), undefined);
  });
});
