// A running job shows live progress (cell i of n) in its row, and Cancel stops it.
import type { Job } from '../../hub-service/src/schema/index.js';
import { openNotebook } from '../support/documents.js';
import { expect, test } from '../support/lab.js';
import { putNotebook } from '../support/notebooks.js';
import { service } from '../support/session.js';
import {
  expectFinalState,
  jobRow,
  openJobsPanel,
  snapshot,
  submitFromToolbar
} from '../support/submit.js';

const folder = 'long-run';

test.use({ tmpPath: folder });

test.beforeAll(async () => {
  // The second cell outlasts any test timeout: only Cancel ends this job.
  await putNotebook(folder, 'slow.ipynb', ['total = 1 + 1', 'import time\ntime.sleep(3000)']);
});

test('a running job shows its progress and can be canceled', async ({ page }, testInfo) => {
  await openNotebook(page, `${folder}/slow.ipynb`);
  const id = await submitFromToolbar(
    page,
    { study: 'demo', outputs: '', justification: 'Checks progress and cancel.' },
    ['slow.ipynb'],
    testInfo
  );
  const row = jobRow(await openJobsPanel(page), id);
  await expect(row).toHaveAttribute('data-state', 'running', { timeout: 9 * 60_000 });
  await expect(row.locator('.jp-hbroker-JobRow-progress')).toContainText('cell 2 of 2');
  await snapshot(row, 'job-running', testInfo);

  await row.getByRole('button', { name: 'Cancel' }).click();
  await expectFinalState(row, 'canceled');
  expect((await service<Job>(`/jobs/${id}`)).state).toBe('canceled');
  await expect(row.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
});
