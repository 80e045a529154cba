// Values are not counts, end to end on the real Docker engine under the auto policy: raw values written as a
// one-column CSV or printed as a Python list are withheld as row-level data (never "a frequency table"), and
// counts tables still come back. The service builds its disclosure index from the staged data itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Artifact, Job } from '../hub-service/src/schema/index.js';
import { runReleased, startTestService, type ITestService } from './support/service.js';

const load =
  'import os, pandas as pd\ndf = pd.read_csv(os.path.join(os.environ["HBROKER_DATA"], "heart_rate.csv"))';

describe('values are not counts', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService();
  });
  after(async () => {
    await hb.stop();
  });

  const run = (cells: string[], outputs: string[] = []) => runReleased(hb, cells, outputs);

  const verdicts = (a: Artifact, check: string) =>
    a.findings.filter(f => f.check === check).map(f => f.verdict);

  async function assertNotServed(job: Job, a: Artifact): Promise<void> {
    assert.equal(a.status, 'withheld', JSON.stringify(a.findings));
    const download = await hb.api(`/api/v1/jobs/${job.id}/outputs/${a.path}`);
    assert.equal(download.status, 404);
  }

  it('withholds raw heart rates saved as a one-column CSV, with no finding that passes it as a table', async () => {
    const job = await run(
      [load, 'df[["heart_rate"]].to_csv("values.csv", index=False)'],
      ['values.csv']
    );
    const csv = job.artifacts.find(a => a.path === 'values.csv')!;
    assert.ok(verdicts(csv, 'row-level-data').includes('fail'), JSON.stringify(csv.findings));
    assert.ok(!verdicts(csv, 'tables').includes('pass'), JSON.stringify(csv.findings));
    assert.doesNotMatch(JSON.stringify(csv.findings), /frequency table/);
    await assertNotServed(job, csv);
  });

  it('withholds the same values printed as a Python list in a cell output', async () => {
    const job = await run([load, 'print(df.heart_rate.tolist())']);
    const printed = job.artifacts.find(a => a.path === 'analysis.ipynb/cells/1/outputs/0')!;
    assert.deepEqual(verdicts(printed, 'row-level-data'), ['fail', 'fail']);
    await assertNotServed(job, printed);
    const nb = await hb.api(`/api/v1/jobs/${job.id}/outputs/analysis.ipynb`);
    assert.equal(nb.status, 200);
    assert.doesNotMatch(JSON.stringify(nb.body), /\[\d+, \d+, \d+/);
  });

  it('still releases a counts table, as a CSV and printed', async () => {
    const job = await run(
      [
        load,
        'counts = df.patient_id.str[:3].value_counts().sort_index()\ncounts.to_csv("counts.csv")\nprint(counts)'
      ],
      ['counts.csv']
    );
    const csv = job.artifacts.find(a => a.path === 'counts.csv')!;
    assert.equal(csv.status, 'released', JSON.stringify(csv.findings));
    assert.deepEqual(verdicts(csv, 'row-level-data'), ['pass']);
    assert.match(csv.findings.find(f => f.check === 'tables')!.reason, /frequency table/);
    const printed = job.artifacts.find(a => a.path === 'analysis.ipynb/cells/1/outputs/0')!;
    assert.equal(printed.status, 'released', JSON.stringify(printed.findings));
  });
});
