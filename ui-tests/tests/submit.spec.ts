// The researcher's whole round trip in the browser: submit the example notebook from its toolbar, watch
// the job reach released in the jobs panel, open the results, insert them into the notebook.
import type { Job } from '../../hub-service/src/schema/index.js';
import { activateDocument, notebookCells, openNotebook } from '../support/documents.js';
import { expect, test } from '../support/lab.js';
import {
  expectInsertedResults,
  expectResultsView,
  expectResultsFolder,
  vetted
} from '../support/results.js';
import { service } from '../support/session.js';
import {
  expectFinalState,
  jobRow,
  openJobsPanel,
  snapshot,
  submitFromToolbar
} from '../support/submit.js';

const source = 'heart-rate/analysis.ipynb';
const justification =
  'Weekly means of resting heart rate for the study report; counts are per week.';

test('submit the example notebook, watch it get released, open and insert the results', async ({
  page
}, testInfo) => {
  await openNotebook(page, source);
  const original = await notebookCells(page, source);

  const id = await submitFromToolbar(
    page,
    { study: 'demo', outputs: 'summary.csv, heart_rate.png', justification },
    ['analysis.ipynb'],
    testInfo
  );
  const submitted = await service<Job>(`/jobs/${id}`);
  expect(submitted.manifest).toMatchObject({
    notebook: 'analysis.ipynb',
    study: 'demo',
    justification
  });
  expect([...(submitted.manifest.outputs ?? [])].sort()).toEqual(['heart_rate.png', 'summary.csv']);

  const panel = await openJobsPanel(page);
  const row = jobRow(panel, id);
  await expect(row).toBeVisible();
  await expectFinalState(row, 'released');
  await snapshot(panel, 'jobs-panel', testInfo);

  // What vetting let out under the auto policy: the executed notebook and the cell outputs whose
  // checks all passed; the rest (here the weekly means and the plot) waits for a checker.
  const job = await service<Job>(`/jobs/${id}`);
  const v = await vetted(job);
  expect(v.files).toContain('analysis.ipynb');
  expect(v.cellOutputs.length, 'at least one cell output to bring back').toBeGreaterThan(0);

  await row.getByRole('button', { name: 'Open results' }).click();
  const folder = `heart-rate/sensitive-results/${id}`;
  await expectResultsFolder(folder, job, v);
  const view = await expectResultsView(page, job, v);
  await expect(view.locator('.jp-OutputArea-output').first()).toBeVisible();
  await snapshot(page, 'results', testInfo);

  await activateDocument(page, source);
  await row.getByRole('button', { name: 'Insert into notebook' }).click();
  const inserted = await expectInsertedResults(page, source, original, job, v);
  await expect(
    page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell h2', {
      hasText: `Sensitive run ${id}`
    })
  ).toBeVisible();
  // Run All re-runs the notebook's own code on the synthetic data; the inserted results stay.
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('notebook:run-all-cells'));
  await expect
    .poll(async () =>
      (await notebookCells(page, source))
        .filter(c => c.cell_type === 'code')
        .every(c => c.execution_count !== null && !JSON.stringify(c.outputs).includes('"error"'))
    )
    .toBe(true);
  const after = await notebookCells(page, source);
  expect(after.slice(after.length - inserted.length), 'the results survive Run All').toEqual(
    inserted
  );
  await snapshot(page, 'inserted', testInfo);
});
