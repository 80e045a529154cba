// A table that passes the automatic disclosure checks (weekly counts, every count far above the
// threshold) is released under the auto policy: it comes back as a file and into the notebook.
import type { Job } from '../../hub-service/src/schema/index.js';
import { activateDocument, notebookCells, openNotebook } from '../support/documents.js';
import { expect, test } from '../support/lab.js';
import { putNotebook } from '../support/notebooks.js';
import {
  expectResultsView,
  expectInsertedResults,
  expectResultsFolder,
  vetted
} from '../support/results.js';
import { releasedOutput, service } from '../support/session.js';
import {
  expectFinalState,
  jobRow,
  openJobsPanel,
  snapshot,
  submitFromToolbar
} from '../support/submit.js';

const folder = 'weekly-counts';
const source = `${folder}/counts.ipynb`;

test.use({ tmpPath: folder });

test.beforeAll(async () => {
  await putNotebook(folder, 'counts.ipynb', [
    [
      'import os',
      'import pandas as pd',
      "data_dir = os.environ.get('HBROKER_DATA', '../studies/demo')",
      "df = pd.read_csv(os.path.join(data_dir, 'heart_rate.csv'), parse_dates=['effective_time'])"
    ].join('\n'),
    [
      "weeks = df.effective_time.dt.isocalendar().week.map('week {}'.format)",
      "counts = df.groupby(weeks).size().rename('count').to_frame()",
      "counts.index.name = 'week'",
      "counts.to_csv('counts.csv')",
      'counts'
    ].join('\n')
  ]);
});

test('a released table comes back as a file and into the notebook', async ({ page }, testInfo) => {
  await openNotebook(page, source);
  const original = await notebookCells(page, source);
  const id = await submitFromToolbar(
    page,
    { study: 'demo', outputs: 'counts.csv', justification: 'Observations per week.' },
    ['counts.ipynb'],
    testInfo
  );
  const row = jobRow(await openJobsPanel(page), id);
  await expectFinalState(row, 'released');

  const job = await service<Job>(`/jobs/${id}`);
  const v = await vetted(job);
  expect(v.files).toEqual(['counts.csv', 'counts.ipynb']);
  const table = v.cellOutputs.find(c => c.artifact.cell_output?.mime === 'text/html');
  expect(table, 'the displayed table was released').toBeDefined();

  await row.getByRole('button', { name: 'Open results' }).click();
  await expectResultsFolder(`${folder}/sensitive-results/${id}`, job, v);
  await expectResultsView(page, job, v);

  await activateDocument(page, source);
  await row.getByRole('button', { name: 'Insert into notebook' }).click();
  const inserted = JSON.stringify(await expectInsertedResults(page, source, original, job, v));
  const csv = (await releasedOutput(id, 'counts.csv')).toString('utf8').trim().split('\n');
  for (const line of csv.slice(1)) {
    for (const value of line.split(',')) {
      expect(inserted, `counts.csv's ${value} is in the inserted cells`).toContain(value);
    }
  }
  await expect(
    page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedHTMLCommon table').last()
  ).toBeVisible();
  await snapshot(page, 'inserted-table', testInfo);
});
