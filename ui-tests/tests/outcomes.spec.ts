// Honest outcomes and "Ask for a checker", on a hub of its own under the auto policy with checker1:
// the researcher asks for three outputs; weekly counts pass, weekly means need a checker, and one is
// never written. The badge, the row, the notification and the detail say so (never a plain green
// "released"); the researcher asks a checker about the means with a note; checker1 finds the request
// in the review queue, approves it, and the researcher's panel then says the means came back.
import type { Browser, ConsoleMessage, Locator, Page } from '@playwright/test';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IHub } from '../../test/support/hub.js';
import { repoRoot } from '../../test/support/service.js';
import type { Job, ReviewView } from '../../hub-service/src/schema/index.js';
import { openNotebook } from '../support/documents.js';
import { logIn, saveHubLog, startUiHub, stopHub, useHub } from '../support/hubs.js';
import { expect, test } from '../support/lab.js';
import { putNotebook } from '../support/notebooks.js';
import { env, researcher, service } from '../support/session.js';
import {
  expectFinalState,
  jobRow,
  openJobsPanel,
  snapshot,
  submitFromToolbar
} from '../support/submit.js';

const checker = 'checker1';
const folder = 'outcomes';
const note = 'Weekly mean heart rate; every week has far more than 10 people.';
const secret = 'preflight-7c1e';

let hub: IHub;
let checkerState = '';
const previousEnv: Record<string, string | undefined> = {};

test.use({ tmpPath: folder });

// eslint-disable-next-line no-empty-pattern
test.beforeAll(async ({}, workerInfo) => {
  for (const name of Object.values(env)) {
    previousEnv[name] = process.env[name];
  }
  // The demo study's synthetic twin for the preflight (here the same rows: the demo is synthetic).
  hub = await startUiHub({
    releasePolicy: 'auto',
    syntheticDir: join(repoRoot, 'examples/studies')
  });
  try {
    const states = await logIn(hub, [researcher, checker], workerInfo.project.use.launchOptions);
    checkerState = states[checker];
    await useHub(hub, states[researcher]);
    await putNotebook(folder, 'weekly.ipynb', [
      [
        'import os',
        'import pandas as pd',
        "data_dir = os.environ.get('HBROKER_DATA', '../studies/demo')",
        "df = pd.read_csv(os.path.join(data_dir, 'heart_rate.csv'), parse_dates=['effective_time'])",
        "weeks = df.effective_time.dt.isocalendar().week.map('week {}'.format).rename('week')"
      ].join('\n'),
      "df.groupby(weeks).size().rename('count').to_frame().to_csv('counts.csv')",
      // A magnitude table: its dominance cannot be checked from the table, so only a checker can release it.
      "df.groupby(weeks).heart_rate.agg(['count', 'mean']).round(1).to_csv('means.csv')"
    ]);
    await putNotebook(folder, 'broken.ipynb', [
      [
        'import os',
        'import pandas as pd',
        "data_dir = os.environ.get('HBROKER_DATA', '../studies/demo')",
        "df = pd.read_csv(os.path.join(data_dir, 'heart_rate.csv'))"
      ].join('\n'),
      // A message with a value in it: the real run's reason names only the class; the preflight shows it all.
      `raise ValueError(f'${secret}: highest heart rate {df.heart_rate.max()}')`
    ]);
  } catch (e) {
    saveHubLog(hub, workerInfo.project.outputDir, 'outcomes-hub.log');
    await hub.stop();
    throw e;
  }
});

// eslint-disable-next-line no-empty-pattern
test.afterAll(async ({}, workerInfo) => {
  for (const [name, value] of Object.entries(previousEnv)) {
    if (value === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = value;
    }
  }
  if (hub) {
    saveHubLog(hub, workerInfo.project.outputDir, 'outcomes-hub.log');
    await stopHub(hub);
  }
});

/** checker1's JupyterLab in a browser context of its own, failing on any console error. */
async function checkerLab(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ storageState: checkerState });
  const errors: string[] = [];
  context.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') {
      errors.push(message.text());
    }
  });
  context.on('weberror', error => errors.push(`uncaught: ${error.error()}`));
  const page = await context.newPage();
  await page.goto(`${hub.url}/user/${checker}/lab`);
  return { page, errors };
}

/** The notification centre's entry for this job, with the given text. */
async function notification(page: Page, text: string): Promise<Locator> {
  const centre = page.locator('.jp-Notification-Center');
  if (!(await centre.isVisible())) {
    await page.locator('.jp-Notification-Status').click();
  }
  const item = centre.locator('.jp-Notification-List-Item', { hasText: text }).first();
  await expect(item).toBeVisible();
  return item;
}

test('a partly released job says what came back, and a checker asked by its author releases the rest', async ({
  page,
  browser
}, testInfo) => {
  await openNotebook(page, `${folder}/weekly.ipynb`);
  const id = await submitFromToolbar(
    page,
    {
      study: 'demo',
      outputs: 'counts.csv, means.csv, missing.csv',
      justification: 'Weekly counts and mean heart rate.'
    },
    ['weekly.ipynb'],
    testInfo
  );
  const panel = await openJobsPanel(page);
  const row = jobRow(panel, id);
  await expectFinalState(row, 'released');

  // What the service says happened to what was asked.
  const job = await service<Job>(`/jobs/${id}`);
  const summary = '1 of 3 requested outputs released, 1 withheld (needs a checker), 1 not written';
  expect(job.outcome?.summary).toBe(summary);
  expect(job.outcome?.tone).toBe('partial');
  expect(job.outcome?.requested.map(r => [r.path, r.status, r.needs ?? ''])).toEqual([
    ['counts.csv', 'released', ''],
    ['means.csv', 'withheld', 'checker'],
    ['missing.csv', 'missing', 'changes']
  ]);

  // The badge is not a plain "released", the row carries the summary.
  await expect(row).toHaveAttribute('data-tone', 'partial');
  await expect(row.locator('.jp-hbroker-JobRow-state')).toHaveText('partly released');
  await expect(row.locator('.jp-hbroker-JobRow-outcome')).toHaveText(summary);
  await snapshot(panel, 'outcome-row-light', testInfo);

  // The notification is a warning with the summary, not a success.
  const toast = await notification(page, summary);
  await expect(toast).not.toContainText('was released');
  await snapshot(page, 'outcome-notification-light', testInfo);
  await page.keyboard.press('Escape');

  // The detail lists each requested output; the one never written is a finding with advice.
  await row.click();
  const detail = page.locator('.jp-hbroker-JobDetail');
  await expect(detail.locator('.jp-hbroker-Outcome-summary')).toHaveText(summary);
  const item = (path: string) => detail.locator(`.jp-hbroker-Requested-item[data-path="${path}"]`);
  await expect(item('counts.csv')).toHaveAttribute('data-status', 'released');
  await expect(item('missing.csv')).toHaveAttribute('data-status', 'missing');
  await expect(item('missing.csv')).toContainText('The run did not write "missing.csv"');
  await expect(item('missing.csv')).toContainText('What to change: Save it from the notebook');
  await expect(item('missing.csv').getByRole('button')).toHaveCount(0);
  await expect(item('means.csv')).toHaveAttribute('data-status', 'withheld');
  await expect(item('means.csv')).not.toContainText('Add a count column');
  await snapshot(detail, 'outcome-detail-light', testInfo);

  await page.theme.setDarkTheme();
  await snapshot(panel, 'outcome-row-dark', testInfo);
  await snapshot(detail, 'outcome-detail-dark', testInfo);
  await page.theme.setLightTheme();

  // Ask for a checker, with a note.
  await item('means.csv').getByRole('button', { name: 'Ask for a checker' }).click();
  const dialog = page.locator('.jp-Dialog');
  await dialog.locator('input').fill(note);
  await snapshot(dialog.locator('.jp-Dialog-content'), 'ask-checker-dialog', testInfo);
  await dialog.getByRole('button', { name: 'Send to a checker' }).click();
  await expect(item('means.csv')).toContainText('You asked an output checker');
  await expect(item('means.csv').getByRole('button', { name: 'Ask for a checker' })).toHaveCount(0);
  await expect(row.locator('.jp-hbroker-JobRow-outcome')).toContainText(
    'waits for the checker you asked'
  );

  // checker1 finds the request in the review queue, with the note, and approves the means.
  const lab = await checkerLab(browser);
  await lab.page
    .locator('.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="hbroker-review"]')
    .click();
  const queue = lab.page.locator('#hbroker-review');
  const queued = queue.locator(`.jp-hbroker-ReviewRow[data-job-id="${id}"]`);
  await expect(async () => {
    await queue.getByRole('button', { name: 'Refresh' }).click();
    await expect(queued).toBeVisible({ timeout: 2000 });
  }).toPass();
  await snapshot(queue, 'checker-queue-light', testInfo);
  // What the checker's client reads: only the output asked about, with the author's note.
  const { token } = await hub.tokenFor(checker);
  const seen = (await (
    await fetch(`${hub.url}/services/hbroker/api/v1/jobs/${id}/review`, {
      headers: { Authorization: `token ${token}` }
    })
  ).json()) as ReviewView;
  expect(seen.review_request?.note).toBe(note);
  expect(seen.job.artifacts.map(a => a.path)).toEqual(['means.csv']);
  // The job opens in the review workspace (main area), its one output asked about beside its preview.
  await queued.getByRole('button', { name: `Review job ${id} (weekly.ipynb)` }).click();
  const review = lab.page.locator(`#hbroker-review-workspace[data-job-id="${id}"]`);
  await expect(review).toBeVisible();
  const list = review.getByRole('listbox', { name: `Outputs of job ${id}` });
  await expect(list.locator('[role="option"]')).toHaveCount(1);
  const means = review.locator('.jp-hbroker-ReviewArtifact[data-path="means.csv"]');
  await expect(means.locator('.jp-hbroker-Preview-table')).toBeVisible();
  await means.getByRole('button', { name: 'Approve' }).click();
  await expect(list.locator('[role="option"][data-path="means.csv"]')).toHaveAttribute(
    'data-decision',
    'approve'
  );
  await snapshot(review, 'checker-review-light', testInfo);
  await review.getByRole('button', { name: 'Submit review' }).click();
  await expect(queue.locator('.jp-hbroker-JobsPanel-status')).toHaveText(
    `Review of job ${id} submitted.`
  );
  expect(lab.errors, "errors in the checker's browser console").toEqual([]);
  await lab.page.context().close();

  // The researcher's panel learns of it by itself and says what came back now.
  const after = '2 of 3 requested outputs released, 1 not written';
  await expect(row.locator('.jp-hbroker-JobRow-outcome')).toHaveText(after, { timeout: 60_000 });
  await expect(item('means.csv')).toHaveAttribute('data-status', 'released');
  await expect(item('means.csv')).toContainText('Released: an output checker approved it.');
  await notification(page, after);
  await snapshot(page, 'approved-light', testInfo);
  await page.keyboard.press('Escape');
  await page.theme.setDarkTheme();
  await snapshot(page, 'approved-dark', testInfo);
  await page.theme.setLightTheme();
  const approved = await service<Job>(`/jobs/${id}`);
  expect(approved.artifacts.find(a => a.path === 'means.csv')?.status).toBe('released');
});

test('a preflight failure on synthetic data ends the job with its full traceback, and no real data stays staged', async ({
  page
}, testInfo) => {
  const staging = join(hub.stateDir, 'staging');
  await openNotebook(page, `${folder}/broken.ipynb`);
  const id = await submitFromToolbar(
    page,
    { study: 'demo', outputs: '', justification: 'Checks that the preflight catches errors.' },
    ['broken.ipynb'],
    testInfo
  );
  const panel = await openJobsPanel(page);
  const row = jobRow(panel, id);
  await expectFinalState(row, 'preflight_failed');
  await expect(row.locator('.jp-hbroker-JobRow-state')).toHaveText('preflight failed');

  // No real run happened and nothing of the real data is left in the staging area.
  const states = (await service<{ jobs: Job[] }>('/jobs')).jobs.find(j => j.id === id)!;
  expect(states.reason).toMatch(/The preflight failed on synthetic data: .*ValueError/);
  expect(states.reason).not.toContain(secret);
  expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);

  // The author sees the whole traceback, message included: the data was synthetic.
  await row.click();
  const detail = page.locator('.jp-hbroker-JobDetail');
  const timeline = detail.locator('.jp-hbroker-Timeline');
  await expect(timeline.locator('li[data-type="preflight"]')).toContainText(
    'preflight failed on synthetic data'
  );
  await expect(timeline.locator('li[data-state="running"]')).toHaveCount(0);
  const traceback = detail.locator('.jp-hbroker-Preflight-traceback');
  await expect(traceback).toContainText(`ValueError: ${secret}: highest heart rate`);
  await expect(detail.locator('.jp-hbroker-Preflight-files')).toContainText('broken.ipynb');
  await snapshot(detail, 'preflight-failed-light', testInfo);
  await page.theme.setDarkTheme();
  await snapshot(detail, 'preflight-failed-dark', testInfo);
  await page.theme.setLightTheme();
});
