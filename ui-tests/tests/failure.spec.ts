// A notebook that raises: the jobs panel row and a notification say why the job failed, in the
// service's words (the exception's class only, never its message).
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

const folder = 'failing';
const secret = 'boom-7f3a';

test.use({ tmpPath: folder });

test.beforeAll(async () => {
  await putNotebook(folder, 'fails.ipynb', ['total = 1 + 1', `raise ValueError("${secret}")`]);
});

test('a notebook that raises shows the failure reason in the panel and in a notification', async ({
  page
}, testInfo) => {
  await openNotebook(page, `${folder}/fails.ipynb`);
  const id = await submitFromToolbar(
    page,
    { study: 'demo', outputs: '', justification: 'Checks that a failing run is reported.' },
    ['fails.ipynb'],
    testInfo
  );

  const panel = await openJobsPanel(page);
  const row = jobRow(panel, id);
  await expectFinalState(row, 'run_failed');
  const job = await service<Job>(`/jobs/${id}`);
  expect(job.reason).toMatch(/cell 2 of 2 raised ValueError/);
  await expect(row.locator('.jp-hbroker-JobRow-reason')).toContainText(job.reason!);
  await expect(row).not.toContainText(secret);
  await snapshot(panel, 'jobs-panel-failed', testInfo);

  // The notification stays in JupyterLab's notification centre after its toast has gone.
  await page.locator('.jp-Notification-Status').click();
  const notification = page
    .locator('.jp-Notification-Center .jp-Notification-List-Item', { hasText: job.reason! })
    .first();
  await expect(notification).toBeVisible();
  await snapshot(page, 'notification-failed', testInfo);
  await notification.getByRole('button', { name: 'Open job' }).click();
  const detail = page.locator('.jp-hbroker-JobDetail');
  await expect(detail).toBeVisible();
  await expect(detail.locator('.jp-hbroker-Timeline')).toContainText(job.reason!);
  await expect(detail).not.toContainText(secret);
  await snapshot(detail, 'job-detail-failed', testInfo);
});
