// hbroker reproduce and hbroker archive export, as an admin types them, against runs on the real engine.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stagingDirOf } from '../hub-service/src/service.js';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { LocalArchive } from '../hub-service/src/archive/index.js';
import type { IBundleFile } from '../hub-service/src/bundle/index.js';
import type { Job } from '../hub-service/src/schema/index.js';
import { serviceVersion } from '../hub-service/src/version.js';
import { file, notebook, submission } from './support/notebook.js';
import { finished, repoRoot, startTestService, type ITestService } from './support/service.js';

const exec = promisify(execFile);
const docker = new Docker();

// Deterministic, and distinctive enough that the crate test can look for it.
const summaryNotebook = notebook(
  'import hashlib, os\ndata = os.environ["HBROKER_DATA"]\nfiles = sorted(os.listdir(data))',
  'digest = hashlib.sha256(b"".join(open(os.path.join(data, f), "rb").read() for f in files if os.path.isfile(os.path.join(data, f))))',
  '_ = open("summary.txt", "w").write(f"{len(files)} files, digest {digest.hexdigest()}\\n")'
);
const randomNotebook = notebook(
  'import random\n_ = open("random.txt", "w").write(str(random.SystemRandom().random()))'
);

/** Every file under `dir`, as text. */
function texts(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map(p => join(dir, p))
    .filter(p => statSync(p).isFile())
    .map(p => readFileSync(p, 'utf8'));
}

describe('reproduce and export a job', () => {
  let hb: ITestService;
  let archive: LocalArchive;
  const out = mkdtempSync(join(tmpdir(), 'hbroker-crate-'));
  const hbroker = (...args: string[]) =>
    exec(process.execPath, [
      '--import',
      'tsx',
      join(repoRoot, 'hub-service/src/cli/main.ts'),
      ...args,
      '--config',
      hb.configFile
    ]).then(
      r => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        out: e.stdout,
        err: e.stderr
      })
    );
  const runJob = async (files: IBundleFile[], outputs: string[]): Promise<Job> => {
    const { status, body } = await hb.submit(await submission(files, { outputs }));
    assert.equal(status, 201, JSON.stringify(body));
    const job = await hb.waitFor(body.id, finished, 600000);
    assert.equal(job.state, 'released', job.reason);
    return job;
  };

  before(async () => {
    hb = await startTestService();
    archive = new LocalArchive(join(hb.config.state_dir, 'archive'));
  });
  after(async () => {
    await hb?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('reports every output matching for a deterministic notebook', async () => {
    const job = await runJob([file('analysis.ipynb', summaryNotebook)], ['summary.txt']);
    const r = await hbroker('reproduce', job.id);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^image: the archived image [0-9a-f]{12}…, still on the engine$/m);
    assert.match(r.out, /^dataset: study demo, version [0-9a-f]{12}…, the same as archived$/m);
    assert.match(r.out, /^ {2}MATCH {4}summary\.txt /m);
    assert.match(r.out, /^ {2}MATCH {4}analysis\.ipynb /m);
    const count = archive.run(job.id)!.outputs.length;
    assert.match(r.out, new RegExp(`^all ${count} outputs match$`, 'm'));
  });

  it('reports the output that differs for a notebook writing a random number', async () => {
    const job = await runJob([file('analysis.ipynb', randomNotebook)], ['random.txt']);
    const r = await hbroker('reproduce', job.id);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(
      r.out,
      /^ {2}DIFFERS {2}random\.txt {2}\(archived [0-9a-f]{12}…, now [0-9a-f]{12}…\)$/m
    );
    assert.match(r.out, /^ {2}MATCH {4}analysis\.ipynb /m);
    assert.match(r.out, /^1 of \d+ outputs do not match$/m);
  });

  it('rebuilds a removed image from the archived spec and says whether its digest matched', async () => {
    // A requirement the base already satisfies: a real build, but nothing to download.
    const spec = file(
      'requirements.txt',
      `# reproduce test ${randomBytes(6).toString('hex')}\nnbformat\n`
    );
    const job = await runJob([file('analysis.ipynb', summaryNotebook), spec], ['summary.txt']);
    const image = archive.run(job.id)!.image;
    await docker.getImage(image).remove({ force: true });
    const r = await hbroker('reproduce', job.id);
    try {
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(
        r.out,
        /^image: gone from the engine; rebuilt from the archived spec as [0-9a-f]{12}…, which does not match the archived digest [0-9a-f]{12}…/m
      );
      assert.match(r.out, /^base image: the archived one, [0-9a-f]{12}…$/m);
      assert.match(r.out, /outputs match$/m);
    } finally {
      const rebuilt = /rebuilt from the archived spec as ([0-9a-f]{12})/.exec(r.out)?.[1];
      if (rebuilt) {
        await docker
          .getImage(rebuilt)
          .remove({ force: true })
          .catch(() => undefined);
      }
    }
  });

  it('exports a Workflow Run RO-Crate with the bundle, spec, images, parameters and hashes, and no data', async () => {
    const spec = file('requirements.txt', 'nbformat\n');
    const job = await runJob(
      [file('analysis.ipynb', summaryNotebook), spec, file('notes.md', 'method notes\n')],
      ['summary.txt']
    );
    const run = archive.run(job.id)!;
    const crateDir = join(out, 'crate');
    const r = await hbroker('archive', 'export', job.id, '--out', crateDir);
    assert.equal(r.code, 0, r.out + r.err);
    const crate = JSON.parse(readFileSync(join(crateDir, 'ro-crate-metadata.json'), 'utf8'));
    const byId = new Map<string, any>(crate['@graph'].map((e: any) => [e['@id'], e]));
    const root = byId.get('./');
    assert.deepEqual(
      root.conformsTo.map((c: any) => c['@id']),
      [
        'https://w3id.org/ro/wfrun/process/0.5',
        'https://w3id.org/ro/wfrun/workflow/0.5',
        'https://w3id.org/workflowhub/workflow-ro-crate/1.0'
      ]
    );
    assert.equal(root.mainEntity['@id'], 'bundle/analysis.ipynb');
    assert.deepEqual(byId.get('bundle/analysis.ipynb')['@type'], [
      'File',
      'SoftwareSourceCode',
      'ComputationalWorkflow'
    ]);
    // The bundle, byte for byte, with its hashes.
    for (const f of archive.record(job.id).files) {
      assert.equal(byId.get(`bundle/${f.path}`).sha256, f.sha256);
      assert.equal(readFileSync(join(crateDir, 'bundle', f.path), 'utf8').length, f.size);
    }
    // The run: image and base digests, service version, parameters, resources, dataset, outputs.
    const action = byId.get(`#run-${job.id}`);
    assert.equal(action['@type'], 'CreateAction');
    assert.equal(action.actionStatus['@id'], 'http://schema.org/CompletedActionStatus');
    const image = byId.get(action.containerImage['@id']);
    assert.equal(image.identifier, run.image);
    assert.equal(byId.get(image.isBasedOn['@id']).identifier, run.build!.base_image);
    assert.equal(byId.get('#pv-spec_sha256').value, run.build!.spec_sha256);
    assert.equal(byId.get('#hbroker').version, serviceVersion);
    const values = Object.fromEntries(
      action.object
        .map((o: any) => byId.get(o['@id']))
        .filter((e: any) => e['@type'] === 'PropertyValue')
        .map((e: any) => [e.name, e.value])
    );
    assert.equal(values.study, 'demo');
    assert.equal(values.outputs, 'summary.txt');
    assert.equal(values['resources.memory_mb'], String(job.manifest.resources!.memory_mb));
    const dataset = byId.get('#dataset-demo');
    assert.equal(dataset.identifier, 'demo');
    assert.equal(dataset.version, run.dataset.sha256);
    const results = action.result.map((o: any) => byId.get(o['@id']));
    assert.deepEqual(
      results.map((o: any) => [o.name, o.sha256]).sort(),
      run.outputs.map(o => [o.path, o.sha256]).sort()
    );
    assert.equal(byId.get(`bundle/requirements.txt`).description.includes('environment'), true);
    // No data: no study record, no output's content, anywhere in the crate.
    const summary = (await hb.api(`/api/v1/jobs/${job.id}/outputs/summary.txt`)).body as string;
    const study = readFileSync(join(hb.config.data.studies_dir, 'demo', 'heart_rate.csv'), 'utf8');
    const rows = study.split('\n').slice(1, 4).filter(Boolean);
    for (const text of texts(crateDir)) {
      for (const row of rows) {
        assert.ok(!text.includes(row), 'a study record is in the crate');
      }
      assert.ok(!text.includes(summary.trim()), 'an output is in the crate');
    }
    assert.deepEqual(readdirSync(join(crateDir, 'bundle')).sort(), [
      'analysis.ipynb',
      'notes.md',
      'requirements.txt'
    ]);
  });

  it('refuses to reproduce against a dataset that has changed, saying so', async () => {
    const [job] = (await hb.api('/api/v1/jobs')).body.jobs.filter(
      (j: Job) => j.manifest.outputs?.includes('summary.txt') && !j.manifest.environment
    );
    appendFileSync(join(hb.config.data.studies_dir, 'demo', 'extra.csv'), 'x\n1\n');
    const r = await hbroker('reproduce', job.id);
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(
      r.err,
      /The data of study demo has changed since job \S+ ran \(dataset hash [0-9a-f]{12}… then, [0-9a-f]{12}… now\)/
    );
    assert.deepEqual(readdirSync(stagingDirOf(hb.config)), [], 'nothing staged is left');
  });
});
