// What a researcher does to submit the open notebook: the toolbar button, the submit dialog, Submit;
// and where the job then shows up (the jobs panel row), found by the id the service gave it.
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator, TestInfo } from '@playwright/test';
import { terminalStates } from '../../hub-service/src/jobs/states.js';
import type { Job, JobState } from '../../hub-service/src/schema/index.js';
import { expect } from './lab.js';
import { service } from './session.js';

export interface ISubmitForm {
  study: string;
  outputs: string;
  justification: string;
}

/** The ids of the researcher's jobs at the service, now. */
export const jobIds = async () =>
  new Set((await service<{ jobs: Job[] }>('/jobs')).jobs.map(job => job.id));

/** Waits for exactly one job that was not there before, and returns its id. */
export async function newJob(before: Set<string>): Promise<string> {
  let id = '';
  await expect
    .poll(async () => {
      const fresh = [...(await jobIds())].filter(j => !before.has(j));
      id = fresh[0] ?? '';
      return fresh.length;
    }, 'one new job at the service')
    .toBe(1);
  return id;
}

/** Saves a screenshot as a test artifact (under test-results/) and attaches it to the report. */
export async function snapshot(
  target: Locator | IJupyterLabPageFixture,
  name: string,
  testInfo: TestInfo
) {
  const path = testInfo.outputPath(`${name}.png`);
  await target.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** The visible notebook's toolbar button "Submit for sensitive run". */
export function submitButton(page: IJupyterLabPageFixture): Locator {
  return page
    .locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-NotebookPanel-toolbar')
    .locator('.jp-Toolbar-item[data-jp-item-name="hbroker-submit"]');
}

/** Clicks the toolbar button, fills the dialog, takes its picture, submits; returns the new job's id. */
export async function submitFromToolbar(
  page: IJupyterLabPageFixture,
  form: ISubmitForm,
  expectFiles: string[],
  testInfo: TestInfo
): Promise<string> {
  const before = await jobIds();
  const button = submitButton(page);
  await expect(button.getByRole('button', { name: 'Submit for sensitive run' })).toBeVisible();
  await button.getByRole('button').click();

  const dialog = page.locator('.jp-Dialog');
  const body = dialog.locator('.jp-hbroker-SubmitDialog');
  await expect(body).toBeVisible();
  // The study list comes from the service: wait until it has arrived.
  const study = body.locator('select[name="study"]');
  await expect(study.locator(`option[value="${form.study}"]`)).toHaveCount(1);
  await study.selectOption(form.study);
  await body.locator('[name="outputs"]').fill(form.outputs);
  await body.locator('textarea[name="justification"]').fill(form.justification);
  for (const name of ['cpus', 'memory_mb', 'timeout_seconds']) {
    await expect(body.locator(`input[name="${name}"]`)).toBeVisible();
  }
  await expect(body.locator('textarea[name="environment"]')).toBeVisible();
  const files = body.locator('.jp-hbroker-SubmitDialog-files');
  for (const file of expectFiles) {
    await expect(files).toContainText(file);
  }
  await expect(body.locator('.jp-hbroker-error')).toBeHidden();
  const content = dialog.locator('.jp-Dialog-content');
  await snapshot(content, 'submit-dialog', testInfo);
  await files.scrollIntoViewIfNeeded();
  await snapshot(content, 'submit-dialog-files', testInfo);

  await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  return newJob(before);
}

/** Opens the "Sensitive runs" sidebar the way a user would: its tab in the left sidebar. */
export async function openJobsPanel(page: IJupyterLabPageFixture): Promise<Locator> {
  const panel = page.locator('#hbroker-jobs');
  if (!(await panel.isVisible())) {
    await page.locator('.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="hbroker-jobs"]').click();
  }
  await expect(panel).toBeVisible();
  return panel;
}

/** The panel's row for one job. */
export const jobRow = (panel: Locator, id: string) =>
  panel.locator(`.jp-hbroker-JobRow[data-job-id="${id}"]`);

/**
 * Waits until the row shows a terminal state (building and running take minutes on a small
 * machine), then expects it to be the given one, so a job that ends otherwise fails at once.
 */
export async function expectFinalState(row: Locator, state: JobState): Promise<void> {
  const terminal = new RegExp(`^(${[...terminalStates].join('|')})$`);
  await expect
    .poll(() => row.getAttribute('data-state'), { timeout: 9 * 60_000 })
    .toMatch(terminal);
  expect(await row.getAttribute('data-state'), await row.innerText()).toBe(state);
}
