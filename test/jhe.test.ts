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
import {
  generatePartnerKeysets,
  openCommonHealthRecord,
  parseKeyset
} from '../hub-service/src/data/tink/index.js';
import { startDevExchange, type IDevExchange } from '../hub-service/src/dev-exchange/index.js';
import { file, submission } from './support/notebook.js';
import { finished, repoRoot, startTestService, type ITestService } from './support/service.js';

const exampleDir = join(repoRoot, 'examples', 'jhe-heart-rate');
const python = join(repoRoot, '.venv', 'bin', 'python');
const password = 'dev-exchange-test-password';
const keys = generatePartnerKeysets();

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

/** The band counts the notebook computes, worked out here from the exchange's decrypted records. */
function expectedBands(jhe: IDevExchange, studyId: number): string {
  const patients = new Set(jhe.data.studies.find(s => s.study.id === studyId)!.patientIds);
  const partner = parseKeyset(keys.privateKeyset);
  const counts = [0, 0, 0];
  for (const o of jhe.data.observations) {
    if (
      !patients.has(Number(o.subject.reference.slice(8))) ||
      o.code.coding[0].code !== 'omh:heart-rate:2.0'
    ) {
      continue;
    }
    const envelope = JSON.parse(Buffer.from(o.valueAttachment.data, 'base64').toString());
    const point = JSON.parse(openCommonHealthRecord(partner, envelope).toString());
    const bpm = point.body.heart_rate.value as number;
    counts[bpm < 70 ? 0 : bpm < 85 ? 1 : 2] += 1;
  }
  return `band,observations\n<70,${counts[0]}\n70-84,${counts[1]}\n85+,${counts[2]}\n`;
}

describe('a sensitive run on JupyterHealth Exchange data', () => {
  let jhe: IDevExchange;
  let hb: ITestService;
  let secrets: string;
  let jheToken: string;

  before(async () => {
    jhe = await startDevExchange({
      host: '127.0.0.1',
      port: 0,
      password,
      partnerPublic: parseKeyset(keys.publicKeyset),
      patients: 6,
      perPatientPerCode: 120,
      seed: 'jhe-e2e'
    });
    const token = await fetch(new URL('o/token/', jhe.url), {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username: 'researcher', password })
    });
    jheToken = ((await token.json()) as { access_token: string }).access_token;
    secrets = mkdtempSync(join(tmpdir(), 'hbroker-jhe-secrets-'));
    writeFileSync(join(secrets, 'partner.json'), keys.privateKeyset, { mode: 0o600 });
    writeFileSync(join(secrets, 'researcher.token'), jheToken, { mode: 0o600 });
    hb = await startTestService({
      data: {
        kind: 'jhe',
        jhe: {
          url: jhe.url,
          partner_keyset: join(secrets, 'partner.json'),
          retries: 1,
          token_files: { researcher: join(secrets, 'researcher.token') }
        },
        synthetic: { max_patients: 8, per_patient_per_code: 90, days: 28 }
      }
    });
  });
  after(async () => {
    await hb.stop();
    await jhe.close();
    rmSync(secrets, { recursive: true, force: true });
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
      assert.notEqual(summary, expectedBands(jhe, 30001));
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
    assert.equal(csv.body, expectedBands(jhe, 30001));
    const executed = await hb.api(`/api/v1/jobs/${job.id}/outputs/analysis.ipynb`);
    assert.match(JSON.stringify(executed.body.cells[1].outputs), /exchange host: 127\.0\.0\.1/);

    // Nothing decrypted stays behind, and the user's JHE token is nowhere the service writes.
    const staging = hb.service!.stagingDir;
    assert.match(staging, /^\/dev\/shm\//, 'staged on tmpfs');
    assert.deepEqual(readdirSync(staging), []);
    assert.ok(!allText(hb.dir).includes(jheToken), 'token in the state folder, archive or outputs');
    const audit = (await hb.api('/api/v1/jobs/' + job.id)).body;
    assert.ok(!JSON.stringify(audit).includes(jheToken));
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
