import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256, type IBundleFile } from '../bundle/index.js';
import type { ArchiveRecord } from '../schema/index.js';
import { workflowRunCrate } from './crate.js';
import type { RunRecord } from './index.js';

const f = (path: string, text: string): IBundleFile => ({
  path,
  mode: 0o644,
  content: Buffer.from(text)
});
const files = [
  f('analysis.ipynb', '{"cells": []}'),
  f('binder/requirements.txt', 'toolz==1.0.0\n')
];
const record: ArchiveRecord = {
  job_id: 'j1',
  owner: 'researcher',
  created_at: '2026-01-01T00:00:00.123Z',
  service_version: '0.1.0',
  manifest: {
    notebook: 'analysis.ipynb',
    study: 'demo',
    outputs: ['summary.csv'],
    resources: { cpus: 1, memory_mb: 1024, timeout_seconds: 600 },
    environment: { files: ['binder/requirements.txt'] }
  },
  files: files.map(x => ({ path: x.path, sha256: sha256(x.content), size: 1, mode: 0o644 }))
};
const run: RunRecord = {
  image: `sha256:${'b'.repeat(64)}`,
  outputs: [{ path: 'summary.csv', sha256: 'c'.repeat(64), size: 10 }],
  dataset: { study: 'demo', files: 3, sha256: 'd'.repeat(64) },
  build: {
    job_id: 'j1',
    at: '2026-01-01T00:00:01.000Z',
    builder: 'dockerfile',
    key: 'e'.repeat(64),
    spec_sha256: 'f'.repeat(64),
    base_image: `sha256:${'a'.repeat(64)}`,
    image: `sha256:${'b'.repeat(64)}`,
    tag: `hbroker-env:${'e'.repeat(64)}`,
    outcome: 'built'
  }
};

/** Every {"@id"} a crate entity points at. */
function references(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach(v => references(v, into));
  } else if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === '@id') {
      into.push(entries[0][1] as string);
    } else {
      entries.filter(([k]) => k !== '@id').forEach(([, v]) => references(v, into));
    }
  }
  return into;
}

describe('the Workflow Run RO-Crate', () => {
  const crate = workflowRunCrate(record, run, files, { state: 'released' });
  const byId = new Map(crate['@graph'].map(e => [e['@id'], e]));

  it('defines every local entity it points at, once', () => {
    assert.equal(byId.size, crate['@graph'].length, 'no entity twice');
    const local = references(crate['@graph']).filter(id => !/^https?:/.test(id));
    for (const id of local) {
      assert.ok(byId.has(id), `${id} is referenced but not described`);
    }
  });

  it('links the run to the notebook, the image on its base, the spec, the dataset and the outputs', () => {
    const action = byId.get('#run-j1')!;
    assert.deepEqual(action.instrument, { '@id': 'bundle/analysis.ipynb' });
    const image = byId.get('#image')!;
    assert.equal(image.identifier, run.image);
    assert.equal(image.name, 'hbroker-env');
    assert.equal(byId.get('#base-image')!.sha256, 'a'.repeat(64));
    const build = byId.get('#build-j1')!;
    assert.deepEqual(build.result, { '@id': '#image' });
    assert.ok(
      (build.object as { '@id': string }[]).some(o => o['@id'] === 'bundle/binder/requirements.txt')
    );
    assert.equal(byId.get('#dataset-demo')!.version, 'd'.repeat(64));
    assert.equal(byId.get('#output-summary.csv')!.sha256, 'c'.repeat(64));
    assert.equal(byId.get('#organize-j1')!.startTime, '2026-01-01T00:00:00Z');
  });

  it('describes a job that never ran without images or outputs', () => {
    const early = workflowRunCrate(record, undefined, files);
    const ids = early['@graph'].map(e => e['@id']);
    assert.ok(!ids.includes('#image') && !ids.some(id => id.startsWith('#output-')));
    assert.equal(references(early['@graph']).includes('#image'), false);
  });
});
