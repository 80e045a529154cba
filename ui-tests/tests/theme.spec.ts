// In JupyterLab's dark theme the dialog and the jobs panel are dark too (theme variables, not fixed
// colours) and their text stays readable (WCAG AA contrast, 4.5:1).
import { backgroundLuminance, contrast } from '../support/contrast.js';
import { openNotebook } from '../support/documents.js';
import { expect, test } from '../support/lab.js';
import { putNotebook } from '../support/notebooks.js';
import {
  expectFinalState,
  jobIds,
  jobRow,
  newJob,
  openJobsPanel,
  snapshot,
  submitButton
} from '../support/submit.js';

const folder = 'dark';

test.use({ tmpPath: folder });

test.beforeAll(async () => {
  await putNotebook(folder, 'dark.ipynb', ['raise KeyError("k")']);
});

test('the dialog and the jobs panel follow the dark theme', async ({ page }, testInfo) => {
  await page.theme.setDarkTheme();
  await openNotebook(page, `${folder}/dark.ipynb`);

  const before = await jobIds();
  await submitButton(page).getByRole('button').click();
  const dialog = page.locator('.jp-Dialog-content');
  const body = dialog.locator('.jp-hbroker-SubmitDialog');
  await expect(body).toBeVisible();
  expect(await backgroundLuminance(body)).toBeLessThan(0.3);
  for (const field of ['select[name="study"]', 'textarea[name="justification"]', 'label']) {
    expect(await contrast(body.locator(field).first()), field).toBeGreaterThanOrEqual(4.5);
  }
  await snapshot(dialog, 'dark-dialog', testInfo);
  await dialog.getByRole('button', { name: 'Submit', exact: true }).click();

  const id = await newJob(before);
  const panel = await openJobsPanel(page);
  const row = jobRow(panel, id);
  await expectFinalState(row, 'run_failed');
  expect(await backgroundLuminance(panel)).toBeLessThan(0.3);
  for (const part of [row, row.locator('.jp-hbroker-JobRow-reason')]) {
    expect(await contrast(part)).toBeGreaterThanOrEqual(4.5);
  }
  await snapshot(panel, 'dark-panel', testInfo);
});
