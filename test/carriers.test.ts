// Hidden carriers, tried as an attacker would on the real Docker engine: rows in display metadata,
// zero-width characters in a cell output and a file, a pickle saved as .csv, identifiers in the names of
// files inside a declared folder, rows in a PNG's text chunk. Each came out released before release
// re-derived what it sends; none may now.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pngChunks } from '../hub-service/src/release/png-chunks.js';
import type { Artifact, Job } from '../hub-service/src/schema/index.js';
import type { IDisclosureIndex } from '../hub-service/src/vetting/index.js';
import { file, notebook, submission } from './support/notebook.js';
import { finished, runReleased, startTestService, type ITestService } from './support/service.js';

function indexOf(studyCsv: string): IDisclosureIndex {
  const [, ...lines] = readFileSync(studyCsv, 'utf8').trim().split('\n');
  const records = lines.map(l => {
    const [patient, time, value] = l.split(',');
    return { patient, time, value };
  });
  return { identifiers: [...new Set(records.map(r => r.patient))], records };
}

const load =
  'import os, pandas as pd\ndf = pd.read_csv(os.path.join(os.environ["HBROKER_DATA"], "heart_rate.csv"))';

/** Any patient id or staged time of the test study. */
const staged = /p0[01]\d|2026-01-\d\d/;

const problems = (a: Artifact, check: string, verdict = 'fail') =>
  a.findings.filter(f => f.check === check && f.verdict === verdict);

async function startWithIndex(overrides: Record<string, unknown> = {}): Promise<ITestService> {
  let index: IDisclosureIndex | undefined;
  const hb: ITestService = await startTestService(overrides, {
    disclosureIndex: () => (index ??= indexOf(join(hb.dir, 'studies', 'demo', 'heart_rate.csv')))
  });
  return hb;
}

describe('hidden carriers under the auto policy', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startWithIndex();
  });
  after(async () => {
    await hb.stop();
  });

  const run = (cells: string[], outputs: string[] = []) => runReleased(hb, cells, outputs);

  const artifact = (job: Job, path: string) => job.artifacts.find(a => a.path === path)!;

  async function assertWithheld(job: Job, a: Artifact): Promise<void> {
    assert.equal(a.status, 'withheld', JSON.stringify(a.findings));
    assert.equal((await hb.api(`/api/v1/jobs/${job.id}/outputs/${a.path}`)).status, 404);
  }

  it('drops display metadata and transient data from a released output and the notebook', async () => {
    const job = await run([
      load,
      'from IPython.display import display\n' +
        'display({"text/plain": "a summary of the study"}, raw=True,\n' +
        '        metadata={"rows": df.head(40).astype(str).values.tolist()},\n' +
        '        display_id=df.patient_id.iloc[5])'
    ]);
    const output = artifact(job, 'analysis.ipynb/cells/1/outputs/0');
    assert.equal(output.status, 'released', JSON.stringify(output.findings));
    assert.ok(
      output.findings.some(f => f.check === 'release' && /drops its metadata/.test(f.reason)),
      JSON.stringify(output.findings)
    );
    const served = await hb.api(`/api/v1/jobs/${job.id}/outputs/${output.path}`);
    assert.equal(served.status, 200);
    assert.deepEqual(served.body, {
      output_type: 'display_data',
      // nbformat's list of lines, as the run wrote it
      data: { 'text/plain': ['a summary of the study'] },
      metadata: {}
    });
    const nb = await hb.api(`/api/v1/jobs/${job.id}/outputs/analysis.ipynb`);
    assert.equal(nb.status, 200);
    assert.doesNotMatch(JSON.stringify(nb.body), staged);
    assert.deepEqual(nb.body.cells[1].outputs[0].data['text/plain'], ['a summary of the study']);
    assert.ok(nb.body.metadata.hbroker.dropped.length > 0);
  });

  it('withholds zero-width text in a cell output and in a file, with the count and the line', async () => {
    const job = await run(
      [
        load,
        'bits = "".join(format(int(v), "08b") for v in df.heart_rate[:40])\n' +
          'hidden = "".join("\\u200b" if b == "0" else "\\u200c" for b in bits)\n' +
          'summary = "The mean heart rate is about 75." + hidden\n' +
          'print(summary)\n' +
          'open("summary.txt", "w").write("Study summary\\n" + summary + "\\n")'
      ],
      ['summary.txt']
    );
    for (const [path, line] of [
      ['analysis.ipynb/cells/1/outputs/0', 1],
      ['summary.txt', 2]
    ] as const) {
      const a = artifact(job, path);
      const [summary, ...lines] = problems(a, 'release');
      assert.match(
        summary.reason,
        /^320 invisible or formatting characters \(320 format\) on line 1?\d/
      );
      assert.match(summary.reason, new RegExp(`line ${line}:`));
      assert.deepEqual(
        lines.map(f => f.location?.row),
        [line - 1]
      );
      await assertWithheld(job, a);
    }
    const nb = await hb.api(`/api/v1/jobs/${job.id}/outputs/analysis.ipynb`);
    assert.doesNotMatch(JSON.stringify(nb.body), /\u200b|\u200c/);
  });

  it('withholds a pickle saved as result.csv and says what it really is', async () => {
    const job = await run([load, 'df.head(200).to_pickle("result.csv")'], ['result.csv']);
    const a = artifact(job, 'result.csv');
    const [mismatch] = problems(a, 'release');
    assert.match(mismatch.reason, /"result\.csv" is a Python pickle, not a CSV file/);
    await assertWithheld(job, a);
  });

  it('withholds files named after records inside a declared folder; an undeclared clean name goes to review', async () => {
    const job = await run(
      [
        load,
        'os.makedirs("per_patient", exist_ok=True)\n' +
          'for r in df.head(40).itertuples():\n' +
          '    open(f"per_patient/{r.patient_id}_{r.effective_time}_{r.heart_rate}.txt", "w").close()\n' +
          'open("per_patient/README.txt", "w").write("One empty file per reading.\\n")'
      ],
      ['per_patient']
    );
    // The author sees that 40 names were withheld, never the names themselves.
    assert.doesNotMatch(JSON.stringify(job), staged);
    const named = job.artifacts.filter(a => /^\(name withheld \d+\)$/.test(a.path));
    assert.equal(named.length, 40);
    for (const a of named) {
      assert.equal(a.status, 'withheld');
      assert.ok(
        problems(a, 'names').some(f => /identifier from the staged data/.test(f.reason)),
        JSON.stringify(a.findings)
      );
      assert.ok(problems(a, 'names').some(f => /40 staged records appear/.test(f.reason)));
    }
    const readme = artifact(job, 'per_patient/README.txt');
    assert.equal(problems(readme, 'names').length, 0);
    assert.match(
      problems(readme, 'names', 'review')[0].reason,
      /inside the declared folder "per_patient"/
    );
    await assertWithheld(job, readme);
    const listed = await hb.api(`/api/v1/jobs/${job.id}/outputs`);
    assert.doesNotMatch(JSON.stringify(listed.body), staged);
  });
});

/** A 2×2 PNG with the first rows of the study in a tEXt chunk, written by the notebook (no image library). */
const pngWithRows =
  'import struct, zlib\n' +
  'def chunk(kind, data):\n' +
  '    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))\n' +
  'pixels = b"".join(b"\\x00" + b"\\xff\\x00\\x00" * 2 for _ in range(2))\n' +
  'png = (b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))\n' +
  '       + chunk(b"tEXt", b"Comment\\x00" + df.head(20).to_csv(index=False).encode())\n' +
  '       + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))\n' +
  'open("plot.png", "wb").write(png)\n' +
  'from IPython.display import Image, display\n' +
  'display(Image(data=png))';

describe('a PNG text chunk, approved by a checker', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startWithIndex({ release: { policy: 'one' } });
  });
  after(async () => {
    await hb.stop();
  });

  it('is not in the released PNG, as a file or as a cell output, nor in what the checker previews', async () => {
    const { status, body } = await hb.submit(
      await submission([file('analysis.ipynb', notebook(load, pngWithRows))], {
        outputs: ['plot.png']
      })
    );
    assert.equal(status, 201, JSON.stringify(body));
    const job = await hb.waitFor(body.id, finished);
    assert.equal(job.state, 'awaiting_review', job.reason);
    const png = job.artifacts.find(a => a.path === 'plot.png')!;
    assert.ok(
      png.findings.some(
        f => f.check === 'release' && /drops its ancillary chunks \(tEXt\)/.test(f.reason)
      ),
      JSON.stringify(png.findings)
    );
    const preview = await fetch(`${hb.url}/api/v1/jobs/${job.id}/review/artifacts/plot.png`, {
      headers: { Authorization: `Bearer ${hb.checkerToken}` }
    });
    assert.equal(preview.status, 200);
    assert.deepEqual(pngChunks(Buffer.from(await preview.arrayBuffer())).types, [
      'IHDR',
      'IDAT',
      'IEND'
    ]);
    // An image or a log is approved only by a checker who looked at it (review/triage.ts).
    for (const a of job.artifacts) {
      const look = await fetch(`${hb.url}/api/v1/jobs/${job.id}/review/artifacts/${a.path}`, {
        headers: { Authorization: `Bearer ${hb.checkerToken}` }
      });
      assert.equal(look.status, 200, a.path);
    }
    const review = await hb.api(`/api/v1/jobs/${job.id}/reviews`, {
      as: hb.checkerToken,
      method: 'POST',
      body: JSON.stringify({
        decisions: job.artifacts.map(a => ({ path: a.path, decision: 'approve' }))
      })
    });
    assert.equal(review.status, 201, JSON.stringify(review.body));
    assert.equal((await hb.waitFor(job.id, j => j.state === 'released')).state, 'released');

    const download = await fetch(`${hb.url}/api/v1/jobs/${job.id}/outputs/plot.png`, {
      headers: { Authorization: `Bearer ${hb.token}` }
    });
    assert.equal(download.status, 200);
    const released = Buffer.from(await download.arrayBuffer());
    assert.deepEqual(pngChunks(released).types, ['IHDR', 'IDAT', 'IEND']);
    assert.doesNotMatch(released.toString('latin1'), staged);

    const output = await hb.api(`/api/v1/jobs/${job.id}/outputs/analysis.ipynb/cells/1/outputs/0`);
    assert.equal(output.status, 200);
    const image = Buffer.from(output.body.data['image/png'], 'base64');
    assert.deepEqual(pngChunks(image).types, ['IHDR', 'IDAT', 'IEND']);
    const nb = await hb.api(`/api/v1/jobs/${job.id}/outputs/analysis.ipynb`);
    assert.doesNotMatch(JSON.stringify(nb.body), staged);
  });
});
