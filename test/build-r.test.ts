// An R notebook runs when its environment provides R: Debian's R and IRkernel through apt.txt.
// The run is language-agnostic: the runner starts whichever kernel the notebook names.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { file, submission } from './support/notebook.js';
import { finished, startTestService, type ITestService } from './support/service.js';

const rNotebook = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: 'ir', display_name: 'R', language: 'R' },
    language_info: { name: 'R' }
  },
  cells: [
    {
      id: 'cell-1',
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source:
        'files <- list.files(Sys.getenv("HBROKER_DATA"))\n' +
        'version <- paste(R.version$major, R.version$minor, sep = ".")\n' +
        'write.csv(data.frame(files = length(files) > 0, r = version), "r.csv", row.names = FALSE)'
    }
  ]
});

describe('an R notebook', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService();
  });
  after(async () => {
    await hb?.stop();
  });

  it('runs on an environment whose apt.txt installs R and IRkernel', async () => {
    const { status, body } = await hb.submit(
      await submission(
        [
          file('analysis.ipynb', rNotebook),
          file(
            'apt.txt',
            '# R 4.2 and its Jupyter kernel from Debian 12\nr-base-core\nr-cran-irkernel\n'
          )
        ],
        { outputs: ['r.csv'] }
      )
    );
    assert.equal(status, 201, JSON.stringify(body));
    const job = await hb.waitFor(body.id, finished, 1200000);
    assert.equal(job.state, 'released', job.reason);
    const csv = await hb.api(`/api/v1/jobs/${job.id}/outputs/r.csv`);
    // R's write.csv quotes every field; release writes the CSV again from its records, quoting
    // only where needed (docs/release.md), so the values arrive and the quotes do not.
    assert.match(csv.body, /^files,r\nTRUE,4\.2\.\d+\n$/);
  });
});
