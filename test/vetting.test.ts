// Vetting end to end on the real Docker engine under the auto policy: what leaks is withheld with the right
// finding, a clean notebook's outputs are released, and nothing withheld leaves through any endpoint.
// The test gives the service its own disclosure index, built from the very study file the test service
// stages, so these checks do not depend on the service's reader of the staged data.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Artifact, Job } from '../hub-service/src/schema/index.js';
import type { IDisclosureIndex } from '../hub-service/src/vetting/index.js';
import { runReleased, startTestService, type ITestService } from './support/service.js';

function indexOf(studyCsv: string): IDisclosureIndex {
  const [, ...lines] = readFileSync(studyCsv, 'utf8').trim().split('\n');
  const records = lines.map(l => {
    const [patient, time, value] = l.split(',');
    return { patient, time, value };
  });
  return { identifiers: [...new Set(records.map(r => r.patient))], records };
}

/** nbformat keeps multi-line text as a list of lines. */
const text = (t: string | string[]) => ([] as string[]).concat(t).join('');

const load =
  'import os, sys, pandas as pd\ndf = pd.read_csv(os.path.join(os.environ["HBROKER_DATA"], "heart_rate.csv"))';

describe('vetting a run', () => {
  let hb: ITestService;
  before(async () => {
    let index: IDisclosureIndex | undefined;
    hb = await startTestService(
      {},
      {
        disclosureIndex: () =>
          (index ??= indexOf(join(hb.dir, 'studies', 'demo', 'heart_rate.csv')))
      }
    );
  });
  after(async () => {
    await hb.stop();
  });

  const run = (cells: string[], outputs: string[] = []) => runReleased(hb, cells, outputs);

  const output = (job: Job, cell: number, index = 0) =>
    job.artifacts.find(a => a.path === `analysis.ipynb/cells/${cell}/outputs/${index}`)!;
  const failed = (a: Artifact, check: string) =>
    a.findings.filter(f => f.check === check && f.verdict === 'fail');

  async function assertWithheld(job: Job, a: Artifact): Promise<void> {
    assert.equal(a.status, 'withheld');
    const download = await hb.api(`/api/v1/jobs/${job.id}/outputs/${a.path}`);
    assert.equal(download.status, 404);
    const listed = await hb.api(`/api/v1/jobs/${job.id}/outputs`);
    assert.ok(!listed.body.outputs.some((o: Artifact) => o.path === a.path));
  }

  it('withholds a cell that prints raw rows, even without the patient column', async () => {
    const job = await run([load, 'print(df[["effective_time", "heart_rate"]].head(8))']);
    const rows = output(job, 1);
    assert.equal(rows.cell_output?.stream, 'stdout');
    assert.equal(failed(rows, 'raw-records').length, 1);
    assert.match(failed(rows, 'raw-records')[0].reason, /staged records appear/);
    await assertWithheld(job, rows);
    // The notebook itself is released, with the withheld output replaced by a note.
    const nb = await hb.api(`/api/v1/jobs/${job.id}/outputs/analysis.ipynb`);
    assert.equal(nb.status, 200);
    const served = JSON.stringify(nb.body);
    assert.doesNotMatch(served, /2026-01-0\dT08:00:00Z/);
    assert.match(nb.body.cells[1].outputs[0].data['text/plain'], /not released/);
  });

  it('withholds a small-count crosstab, as a CSV and printed, pointing at the cells', async () => {
    const job = await run(
      [
        load,
        'crosstab = pd.crosstab(df.patient_id.str[:3], df.heart_rate >= 95)\ncrosstab.to_csv("crosstab.csv")',
        'print(crosstab)'
      ],
      ['crosstab.csv']
    );
    const printed = output(job, 2);
    assert.ok(failed(printed, 'tables').length > 0, JSON.stringify(printed.findings));
    await assertWithheld(job, printed);
    const csv = job.artifacts.find(a => a.path === 'crosstab.csv')!;
    const small = failed(csv, 'tables');
    assert.ok(small.length > 0, JSON.stringify(csv.findings));
    assert.match(small[0].reason, /count below 10/);
    assert.equal(typeof small[0].location?.row, 'number');
    assert.equal(typeof small[0].location?.column, 'string');
    assert.deepEqual(
      small[0].mitigations?.map(m => m.action),
      ['suppress', 'round']
    );
    await assertWithheld(job, csv);
  });

  it('withholds an HTML table that hides a patient id, and only that output', async () => {
    const job = await run([
      load,
      'print(len(df))',
      'pd.DataFrame({"count": [30]}, index=[df.patient_id.iloc[3]])'
    ]);
    const table = output(job, 2);
    assert.equal(table.cell_output?.mime, 'text/html');
    const leak = failed(table, 'identifiers');
    // Once in the HTML and once in the plain-text representation of the same output.
    assert.ok(leak.length > 0);
    assert.ok(leak.every(f => f.location?.cell === 2 && f.location.output === 0));
    assert.doesNotMatch(JSON.stringify(table.findings), /p003/);
    await assertWithheld(job, table);
    assert.equal(output(job, 1).status, 'released');
    const count = await hb.api(`/api/v1/jobs/${job.id}/outputs/analysis.ipynb/cells/1/outputs/0`);
    assert.equal(count.status, 200);
    assert.equal(text(count.body.text), '60\n');
    const nb = await hb.api(`/api/v1/jobs/${job.id}/outputs/analysis.ipynb`);
    assert.doesNotMatch(JSON.stringify(nb.body), /p003/);
  });

  it('withholds stderr that carries data, from the cell and from the kernel log', async () => {
    const job = await run([
      load,
      'sys.stderr.write(df.head(5).to_csv())\nos.write(2, df.patient_id.iloc[0].encode())'
    ]);
    const stderr = output(job, 1);
    assert.equal(stderr.cell_output?.stream, 'stderr');
    assert.equal(failed(stderr, 'raw-records').length, 1);
    assert.ok(failed(stderr, 'identifiers').length > 0);
    await assertWithheld(job, stderr);
    const log = job.artifacts.find(a => a.kind === 'log')!;
    assert.ok(failed(log, 'identifiers').length > 0, JSON.stringify(log.findings));
    await assertWithheld(job, log);
  });

  it("releases a clean notebook's outputs: counts of at least 10, as CSV, HTML and text", async () => {
    const job = await run(
      [
        load,
        'counts = df.groupby(df.patient_id.str[:3]).size().rename("count")\ncounts.to_csv("counts.csv")\nprint(len(df))',
        'counts.to_frame()'
      ],
      ['counts.csv']
    );
    const released = job.artifacts.filter(a => a.status === 'released').map(a => a.path);
    assert.deepEqual(released.sort(), [
      'analysis.ipynb',
      'analysis.ipynb/cells/1/outputs/0',
      'analysis.ipynb/cells/2/outputs/0',
      'counts.csv'
    ]);
    const csv = job.artifacts.find(a => a.path === 'counts.csv')!;
    assert.ok(csv.findings.some(f => f.check === 'tables' && f.verdict === 'pass'));
    assert.ok(output(job, 2).findings.some(f => f.check === 'tables' && f.verdict === 'pass'));
    const nb = await hb.api(`/api/v1/jobs/${job.id}/outputs/analysis.ipynb`);
    assert.equal(text(nb.body.cells[1].outputs[0].text), '60\n');
    assert.match(text(nb.body.cells[2].outputs[0].data['text/html']), /class="dataframe"/);
  });
});
