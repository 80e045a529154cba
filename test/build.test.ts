// Environments from the repo2docker spec on the real Docker engine: built once, reused, rebuilt from the
// changed layer on, honoured (apt.txt, runtime.txt, requirements.txt, postBuild), refused at submission
// when they cannot be, and never given data at build time or the network at run time.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { after, before, describe, it } from 'node:test';
import { LocalArchive } from '../hub-service/src/archive/index.js';
import { BuildRecords, buildRecordsFile } from '../hub-service/src/build/index.js';
import type { IBundleFile } from '../hub-service/src/bundle/index.js';
import type { BuildRecord, Job } from '../hub-service/src/schema/index.js';
import { file, notebook, submission } from './support/notebook.js';
import { finished, repoRoot, startTestService, type ITestService } from './support/service.js';
import { startSink, type ISink } from './support/sink.js';

const docker = new Docker();
const exec = promisify(execFile);
// A fresh postBuild per suite run, so the first build is a real build even if an old image survived.
const nonce = randomBytes(6).toString('hex');

// Runs at build time: what could a build see? Written into the image for the run to report.
const postBuild = `#!/bin/sh
# suite run ${nonce}
set -e
python3 - <<'PY'
import json, os
looked_for = {"heart_rate.csv", "secret-notes.txt", "analysis.ipynb", "sink.txt"}
found = []
for root, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if os.path.join(root, d) not in ("/proc", "/sys", "/dev")]
    found += [os.path.join(root, f) for f in files if f in looked_for]
json.dump({
    "context": sorted(os.listdir(".")),
    "data_dir": os.path.exists("/data"),
    "data_env": sorted(k for k in os.environ if k.startswith(("HBROKER", "JHE"))),
    "found": found,
}, open("/opt/hbroker/build-probe.json", "w"))
PY
echo "postBuild ran" > /opt/hbroker/postbuild-marker
`;

const probeNotebook = notebook(
  `import json, os, shutil, socket, sys, toolz
sink = open("sink.txt").read().strip()
result = {
    "toolz": toolz.__version__,
    "jq": shutil.which("jq"),
    "python": ".".join(map(str, sys.version_info[:2])),
    "marker": open("/opt/hbroker/postbuild-marker").read().strip(),
    "probe": json.load(open("/opt/hbroker/build-probe.json")),
    "data_files": len(os.listdir(os.environ["HBROKER_DATA"])),
}
def attempt(name, fn):
    try:
        fn(); result[name] = "reached"
    except Exception as e:
        result[name] = type(e).__name__
attempt("tcp", lambda: socket.create_connection((sink, 80), timeout=3))
attempt("dns", lambda: socket.getaddrinfo("sink.test", 80))
json.dump(result, open("result.json", "w"))`
);

const spec = (toolz: string, dir = ''): IBundleFile[] => [
  file(`${dir}apt.txt`, '# a small Debian package the base image lacks\njq\n'),
  file(`${dir}runtime.txt`, 'python-3.11\n'),
  file(`${dir}requirements.txt`, `toolz==${toolz}\n`),
  file(`${dir}postBuild`, postBuild, 0o755)
];

describe('environments built from the repo2docker spec', () => {
  let hb: ITestService;
  let sink: ISink;
  let records: BuildRecords;
  const built: string[] = [];
  let first: { job: Job; build: BuildRecord; result: any };

  const bundle = (extra: IBundleFile[]) => [
    file('analysis.ipynb', probeNotebook),
    file('sink.txt', sink.ip),
    file('secret-notes.txt', 'not an environment file\n'),
    ...extra
  ];
  const runJob = async (files: IBundleFile[]) => {
    const { status, body } = await hb.submit(await submission(files, { outputs: ['result.json'] }));
    assert.equal(status, 201, JSON.stringify(body));
    const job = await hb.waitFor(body.id, finished, 900000);
    assert.equal(job.state, 'released', job.reason);
    const result = (await hb.api(`/api/v1/jobs/${job.id}/outputs/result.json`)).body;
    const mine = records.forJob(job.id);
    assert.equal(mine.length, 1, 'one build decision per job');
    if (mine[0].outcome === 'built') {
      built.push(mine[0].image);
    }
    return { job, build: mine[0], result };
  };

  before(async () => {
    hb = await startTestService();
    records = new BuildRecords(buildRecordsFile(hb.config.state_dir));
    sink = await startSink(docker, hb.config.executor.image);
  });
  after(async () => {
    await sink?.remove();
    await hb?.stop();
    // The images this suite built are its own (the nonce makes them unique): leave the engine as it was.
    for (const image of built) {
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });

  it('installs a pinned package the base lacks, and honours apt.txt, runtime.txt and postBuild', async () => {
    const base = await docker.createContainer({
      Image: hb.config.executor.image,
      Entrypoint: ['python', '-c', 'import toolz'],
      HostConfig: { NetworkMode: 'none' }
    });
    await base.start();
    const exit = (await base.wait()) as { StatusCode: number };
    await base.remove({ force: true });
    assert.notEqual(exit.StatusCode, 0, 'toolz is not in the base image');

    first = await runJob(bundle(spec('0.12.1')));
    assert.equal(first.build.outcome, 'built');
    assert.equal(first.build.builder, 'dockerfile');
    assert.equal(first.result.toolz, '0.12.1');
    assert.equal(first.result.jq, '/usr/bin/jq');
    assert.equal(first.result.python, '3.11');
    assert.equal(first.result.marker, 'postBuild ran');
    assert.ok(first.result.data_files > 0, 'the run itself reads the staged data');
    assert.deepEqual(first.job.manifest.environment?.files, [
      'apt.txt',
      'runtime.txt',
      'requirements.txt',
      'postBuild'
    ]);

    const events = await hb.events(first.job.id);
    const log = events.filter(e => e.type === 'build_log').map(e => e.line ?? '');
    assert.ok(
      log.some(l => /Successfully installed toolz-0\.12\.1/.test(l)),
      'the build log reaches the researcher as job events'
    );
    const run = new LocalArchive(`${hb.config.state_dir}/archive`).run(first.job.id)!;
    assert.equal(run.image, first.build.image);
    assert.equal(run.build?.spec_sha256, first.build.spec_sha256);
    assert.equal(
      run.build?.base_image,
      (await docker.getImage(hb.config.executor.image).inspect()).Id,
      'the base is pinned by its content id'
    );
  });

  it('gives a build step no data: only the spec files, no /data, no study files anywhere', () => {
    const probe = first.result.probe;
    assert.deepEqual(probe.context, ['apt.txt', 'postBuild', 'requirements.txt', 'runtime.txt']);
    assert.equal(probe.data_dir, false);
    assert.deepEqual(probe.data_env, []);
    assert.deepEqual(probe.found, [], 'no study file and no other bundle file was in the build');
  });

  it('gives a run in the built image no network, though the build had it', async () => {
    await sink.control();
    const hits = (await sink.hits()).length;
    assert.equal(hits, 1, 'the control probe reached the sink');
    assert.notEqual(first.result.tcp, 'reached');
    assert.notEqual(first.result.dns, 'reached');
    assert.equal((await sink.hits()).length, hits, 'the sink saw nothing from the run');
  });

  it('builds nothing when the environment is unchanged', async () => {
    const again = await runJob(bundle(spec('0.12.1')));
    assert.equal(again.build.outcome, 'reused');
    assert.equal(again.build.image, first.build.image);
    assert.equal(again.build.key, first.build.key);
    assert.equal(again.build.steps, undefined, 'no build ran');
    assert.equal(
      records.all().filter(r => r.outcome === 'built').length,
      1,
      'still one build in the records'
    );
    const log = (await hb.events(again.job.id)).filter(e => e.type === 'build_log');
    assert.match(log.map(e => e.line).join('\n'), /environment unchanged/);
  });

  it('shows the build log in hbroker submit, and finds the same environment in a folder on disk', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hbroker-build-cli-'));
    try {
      for (const f of bundle(spec('0.12.1', 'binder/'))) {
        mkdirSync(dirname(join(folder, f.path)), { recursive: true });
        writeFileSync(join(folder, f.path), f.content, { mode: f.mode });
      }
      const { stdout } = await exec(
        process.execPath,
        [
          '--import',
          'tsx',
          join(repoRoot, 'hub-service/src/cli/main.ts'),
          'submit',
          join(folder, 'analysis.ipynb'),
          '--study',
          'demo',
          '--wait'
        ],
        { env: { ...process.env, HBROKER_URL: hb.url, HBROKER_TOKEN: hb.token } }
      );
      assert.match(
        stdout,
        /^building\n {2}\| environment unchanged \(spec [0-9a-f]{12}\): reusing hbroker-env:[0-9a-f]{64}\nstaging$/m
      );
      const job = /^submitted job (\S+)/m.exec(stdout)![1];
      assert.equal(records.forJob(job)[0].image, first.build.image);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reads binder/ over the root: the same files there are the same environment', async () => {
    const { job, build, result } = await runJob(
      bundle([file('requirements.txt', 'toolz==1.0.0\n'), ...spec('0.12.1', 'binder/')])
    );
    assert.equal(build.outcome, 'reused');
    assert.equal(build.image, first.build.image);
    assert.equal(result.toolz, '0.12.1', 'the root requirements.txt was ignored');
    assert.deepEqual(job.manifest.environment?.files, [
      'binder/apt.txt',
      'binder/runtime.txt',
      'binder/requirements.txt',
      'binder/postBuild'
    ]);
  });

  it('rebuilds from the changed layer on when one pinned package changes', async () => {
    const changed = await runJob(bundle(spec('1.0.0')));
    assert.equal(changed.build.outcome, 'built');
    assert.equal(changed.result.toolz, '1.0.0');
    const before = first.build.steps!;
    const now = changed.build.steps!;
    const at = now.findIndex(s => s.instruction.startsWith('COPY env/requirements.txt'));
    assert.ok(at > 2, 'apt.txt and runtime.txt come before requirements.txt');
    for (let i = 1; i < at; i++) {
      assert.equal(
        now[i].cached,
        true,
        `step ${i + 1} (${now[i].instruction}) came from the cache`
      );
      assert.equal(now[i].layer, before[i].layer, `step ${i + 1} shares its layer`);
    }
    for (let i = at; i < now.length; i++) {
      assert.equal(now[i].cached, false, `step ${i + 1} (${now[i].instruction}) was rebuilt`);
      assert.notEqual(now[i].layer, before[i].layer);
    }
    const [a, b] = await Promise.all(
      [first.build.image, changed.build.image].map(
        async i => (await docker.getImage(i).inspect()).RootFS.Layers!
      )
    );
    const shared = a.findIndex((layer, i) => layer !== b[i]);
    const baseLayers = (await docker.getImage(hb.config.executor.image).inspect()).RootFS.Layers!;
    assert.ok(shared > baseLayers.length, 'the apt.txt layers are shared too, not only the base');
  });

  it('refuses at submission what the builder cannot honour, with a sentence', async () => {
    const jobsBefore = (await hb.api('/api/v1/jobs')).body.jobs.length;
    const recordsBefore = records.all().length;
    const refused = async (files: IBundleFile[]) => {
      const { status, body } = await hb.submit(
        await submission([file('analysis.ipynb', notebook('1')), ...files])
      );
      assert.equal(status, 400, JSON.stringify(body));
      return body.error.message as string;
    };
    assert.match(
      await refused([file('runtime.txt', 'python-3.8\n'), file('requirements.txt', 'toolz\n')]),
      /^runtime\.txt: asks for Python 3\.8, which this service cannot provide\. This service's base image provides Python 3\.11: write python-3\.11 in runtime\.txt, or remove it\.$/
    );
    assert.match(
      await refused([file('binder/requirements.txt', 'toolz\n'), file('.binder/apt.txt', 'jq\n')]),
      /both binder\/ and \.binder\//
    );
    assert.match(
      await refused([file('Dockerfile', 'FROM debian\n'), file('requirements.txt', 'toolz\n')]),
      /^Dockerfile: a Dockerfile cannot be built here/
    );
    assert.match(await refused([file('environment.yml', 'name: x\n')]), /no conda/);
    assert.equal((await hb.api('/api/v1/jobs')).body.jobs.length, jobsBefore, 'no job was made');
    assert.equal(records.all().length, recordsBefore, 'nothing was built');
  });
});
