// The JupyterHealth Exchange path end to end: the dev exchange's CommonHealth-encrypted study, staged with
// the researcher's JHE token, decrypted, and read in the sandbox by the real jupyterhealth-client through
// the run's loopback facade; the same notebook unchanged on the synthetic exchange in "the user's server".
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { LocalArchive } from '../hub-service/src/archive/index.js';
import { jobLabel } from '../hub-service/src/exec/docker.js';
import { startTestExchange, type ITestExchange } from './support/jhe.js';
import { file, notebook, submission } from './support/notebook.js';
import { finished, repoRoot, startTestService, type ITestService } from './support/service.js';

const exampleDir = join(repoRoot, 'examples', 'jhe-heart-rate');
const python = join(repoRoot, '.venv', 'bin', 'python');

/** Reads every file under a folder (to prove a secret is in none of them). */
function allText(dir: string): string {
  let text = '';
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      text += readFileSync(join(entry.parentPath, entry.name)).toString('latin1');
    }
  }
  return text;
}

describe('a sensitive run on JupyterHealth Exchange data', () => {
  let exchange: ITestExchange;
  let hb: ITestService;
  let jheToken: string;

  before(async () => {
    exchange = await startTestExchange();
    jheToken = await exchange.tokenFor('researcher');
    writeFileSync(join(exchange.dir, 'researcher.token'), jheToken, { mode: 0o600 });
    hb = await startTestService({
      data: {
        kind: 'jhe',
        jhe: {
          url: exchange.url,
          partner_keyset: exchange.partnerKeyset,
          retries: 1,
          token_files: { researcher: join(exchange.dir, 'researcher.token') }
        },
        synthetic: { max_patients: 8, per_patient_per_code: 90, days: 28 }
      },
      // A failed run's reason is asserted below; release policy auto alone would hide it.
      vetting: { failure_detail: 'cell' },
      // These tests follow the real run's sandbox; the preflight has its own (test/preflight.test.ts).
      preflight: false
    });
  });
  after(async () => {
    await hb.stop();
    await exchange.stop();
  });

  it('lists the studies JHE lets the researcher see', async () => {
    const { body } = await hb.api('/api/v1/studies');
    assert.deepEqual(
      body.studies.map((s: { id: string; patients: number }) => [s.id, s.patients]),
      [
        ['30001', 6],
        ['30002', 6]
      ]
    );
  });

  it("runs the notebook unchanged on the synthetic exchange, as in the user's server", async () => {
    const work = mkdtempSync(join(tmpdir(), 'hbroker-jhe-user-'));
    try {
      for (const name of readdirSync(exampleDir)) {
        writeFileSync(join(work, name), readFileSync(join(exampleDir, name)));
      }
      // Asynchronously: the service answering the kernel runs in this very process.
      await promisify(execFile)(
        python,
        [
          '-m',
          'jupyter',
          'nbconvert',
          '--to',
          'notebook',
          '--execute',
          '--inplace',
          'analysis.ipynb'
        ],
        {
          cwd: work,
          env: { ...process.env, JHE_URL: `${hb.url}/jhe/`, JHE_TOKEN: jheToken }
        }
      );
      const summary = readFileSync(join(work, 'summary.csv'), 'utf8');
      assert.match(summary, /^band,observations\n<70,\d+\n70-84,\d+\n85\+,\d+\n$/);
      // Synthetic: 8 patients × 90 readings, not the study's real 6 × 120.
      const total = summary
        .trim()
        .split('\n')
        .slice(1)
        .reduce((n, l) => n + Number(l.split(',')[1]), 0);
      assert.equal(
        total,
        6 * 90,
        'the real study has 6 patients: the synthetic one as many, capped at 8'
      );
      assert.notEqual(summary, exchange.expectedBands(30001));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('runs it as a sensitive run on the decrypted study; the released counts are the real ones', async () => {
    const files = readdirSync(exampleDir).map(name =>
      file(name, readFileSync(join(exampleDir, name)))
    );
    const { status, body } = await hb.submit(
      await submission(files, { study: '30001', outputs: ['summary.csv'] })
    );
    assert.equal(status, 201, JSON.stringify(body));
    const job = await hb.waitFor(body.id, finished, 300000);
    assert.equal(job.state, 'released', job.reason);
    const csv = await hb.api(`/api/v1/jobs/${job.id}/outputs/summary.csv`);
    assert.equal(csv.status, 200, JSON.stringify(job.artifacts));
    assert.equal(csv.body, exchange.expectedBands(30001));
    const executed = await hb.api(`/api/v1/jobs/${job.id}/outputs/analysis.ipynb`);
    assert.match(JSON.stringify(executed.body.cells[1].outputs), /exchange host: 127\.0\.0\.1/);

    // The archive keeps counts and the dataset version's hash, never the data.
    const run = new LocalArchive(join(hb.config.state_dir, 'archive')).run(job.id)!;
    assert.deepEqual(run.dataset?.records, {
      patients: 6,
      observations: 6 * 120 * 2,
      questionnaireResponses: 6 * 4,
      counts: {
        Observation: { 'omh:heart-rate:2.0': 6 * 120, 'omh:blood-pressure:4.0': 6 * 120 },
        QuestionnaireResponse: { 'Questionnaire/weekly-symptom-severity-vas': 6 * 4 }
      }
    });
    assert.match(run.dataset!.sha256, /^[0-9a-f]{64}$/);

    // Nothing decrypted stays behind, and the user's JHE token is nowhere the service writes.
    const staging = hb.service!.stagingDir;
    assert.match(staging, /^\/dev\/shm\//, 'staged on tmpfs');
    assert.deepEqual(readdirSync(staging), []);
    assert.ok(!allText(hb.dir).includes(jheToken), 'token in the state folder, archive or outputs');
    const audit = (await hb.api('/api/v1/jobs/' + job.id)).body;
    assert.ok(!JSON.stringify(audit).includes(jheToken));
  });

  it('keeps the JHE token out of the sandbox, and leaves no decrypted byte after a failed run', async () => {
    const nb = notebook(
      'import os, time\nprint(sorted(os.listdir(os.environ["HBROKER_DATA"])))\ntime.sleep(6)',
      'raise ValueError("the analysis failed")'
    );
    const { body } = await hb.submit(
      await submission([file('analysis.ipynb', nb)], { study: '30001' })
    );
    const docker = new Docker();
    let env: string[] | undefined;
    for (let i = 0; i < 600 && !env; i++) {
      const [running] = await docker.listContainers({
        filters: { label: [`${jobLabel}=${body.id}`] }
      });
      if (running) {
        env = (await docker.getContainer(running.Id).inspect()).Config.Env;
        assert.equal(readdirSync(hb.service!.stagingDir).length, 1, 'staged while it runs');
      } else {
        await new Promise(r => setTimeout(r, 100));
      }
    }
    assert.ok(env, 'saw the sandbox running');
    assert.ok(!env.join('\n').includes(jheToken), 'the JHE token is not in the sandbox');
    assert.ok(!env.some(e => e.startsWith('JHE_TOKEN=')), 'the runner makes its own per-run token');
    const job = await hb.waitFor(body.id, finished, 300000);
    assert.equal(job.state, 'run_failed');
    assert.match(job.reason ?? '', /ValueError/);
    assert.deepEqual(readdirSync(hb.service!.stagingDir), []);
  });

  it('hbroker doctor checks the partner key and that the exchange answers', async () => {
    const doctor = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'hub-service/src/cli/main.ts'),
        'doctor',
        '--config',
        hb.configFile
      ],
      { cwd: repoRoot }
    ).catch(e => e as { stdout: string });
    assert.match(doctor.stdout, /^ok {3}partner keyset .*: 1 key\(s\), mode 0600$/m);
    assert.match(
      doctor.stdout,
      new RegExp(`^ok {3}JupyterHealth Exchange at ${exchange.url} answers$`, 'm')
    );
  });

  it('fails a job whose study JHE refuses, naming the study and what to do', async () => {
    const files = readdirSync(exampleDir).map(name =>
      file(name, readFileSync(join(exampleDir, name)))
    );
    const { status, body } = await hb.submit(
      await submission(files, { study: '39999', outputs: ['summary.csv'] })
    );
    assert.equal(status, 400);
    assert.match(body.error.message, /Study "39999" has no data on this service/);
  });
});
