// Human review in the browser, on a hub of its own whose release policy is `one`: the researcher
// submits a notebook writing two tables; checker1, in a second browser, opens the review panel,
// previews the small-count table with its flagged cells, approves the weekly counts and rejects
// the other; the researcher gets back only the approved table, in the notebook and in
// sensitive-results/, and the rejected one nowhere.
import type { Browser, ConsoleMessage, Locator, Page } from '@playwright/test';
import type { IHub } from '../../test/support/hub.js';
import type { Job } from '../../hub-service/src/schema/index.js';
import {
  activateDocument,
  notebookCells,
  openDocuments,
  openNotebook
} from '../support/documents.js';
import { logIn, saveHubLog, startUiHub, stopHub, useHub } from '../support/hubs.js';
import { expect, test } from '../support/lab.js';
import { putNotebook } from '../support/notebooks.js';
import {
  expectExecutedNotebook,
  expectInsertedResults,
  expectResultsFolder,
  vetted
} from '../support/results.js';
import { contents, env, researcher, service } from '../support/session.js';
import {
  expectFinalState,
  jobRow,
  openJobsPanel,
  snapshot,
  submitFromToolbar
} from '../support/submit.js';

const checker = 'checker1';
const folder = 'review-tables';
const source = `${folder}/tables.ipynb`;
const approved = 'counts.csv';
const rejected = 'bands.csv';
// A column header only the rejected table has (pandas' label for an interval), not in the code.
const rejectedMark = '(60, 80]';

let hub: IHub;
let checkerState = '';
const previousEnv: Record<string, string | undefined> = {};

test.use({ tmpPath: folder });

// eslint-disable-next-line no-empty-pattern
test.beforeAll(async ({}, workerInfo) => {
  for (const name of Object.values(env)) {
    previousEnv[name] = process.env[name];
  }
  hub = await startUiHub({ releasePolicy: 'one' });
  try {
    const states = await logIn(hub, [researcher, checker], workerInfo.project.use.launchOptions);
    checkerState = states[checker];
    await useHub(hub, states[researcher]);
    await putNotebook(folder, 'tables.ipynb', [
      [
        'import os',
        'import pandas as pd',
        "data_dir = os.environ.get('HBROKER_DATA', '../studies/demo')",
        "df = pd.read_csv(os.path.join(data_dir, 'heart_rate.csv'), parse_dates=['effective_time'])",
        "weeks = df.effective_time.dt.isocalendar().week.map('week {}'.format).rename('week')"
      ].join('\n'),
      `df.groupby(weeks).size().rename('count').to_frame().to_csv('${approved}')`,
      // Heart-rate bands per week: the first week has cells under 10 people.
      `pd.crosstab(weeks, pd.cut(df.heart_rate, [0, 60, 80, 100])).to_csv('${rejected}')`
    ]);
  } catch (e) {
    saveHubLog(hub, workerInfo.project.outputDir, 'review-hub.log');
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
    saveHubLog(hub, workerInfo.project.outputDir, 'review-hub.log');
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

const reviewTab = '.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="hbroker-review"]';

/**
 * Opens the "Output review" sidebar from its tab, reloads JupyterLab to see it restored, and waits
 * until the job is in the queue.
 */
async function openReviewPanel(page: Page, jobId: string): Promise<Locator> {
  const tab = page.locator(reviewTab);
  await expect(tab).toBeVisible();
  const saved = page.waitForRequest(
    r =>
      r.method() === 'PUT' &&
      /\/api\/workspaces\//.test(r.url()) &&
      (r.postData() ?? '').includes('hbroker-review')
  );
  await tab.click();
  const panel = page.locator('#hbroker-review');
  await expect(panel).toBeVisible();
  await saved;
  await page.goto(`${hub.url}/user/${checker}/lab`);
  await expect(panel).toBeVisible();
  await expect(tab).toHaveClass(/lm-mod-current/);
  const row = panel.locator(`.jp-hbroker-ReviewRow[data-job-id="${jobId}"]`);
  await expect(async () => {
    await panel.getByRole('button', { name: 'Refresh' }).click();
    await expect(row).toBeVisible({ timeout: 2000 });
  }).toPass();
  return panel;
}

test('a checker approves one table and rejects the other; the researcher gets only the approved one', async ({
  page,
  browser
}, testInfo) => {
  await openNotebook(page, source);
  const original = await notebookCells(page, source);
  const id = await submitFromToolbar(
    page,
    {
      study: 'demo',
      outputs: `${approved}, ${rejected}`,
      justification: 'Weekly counts, and heart-rate bands per week.'
    },
    ['tables.ipynb'],
    testInfo
  );
  const row = jobRow(await openJobsPanel(page), id);
  // The researcher holds no review scope: no review panel for them.
  await expect(page.locator(reviewTab)).toHaveCount(0);
  await expect
    .poll(() => row.getAttribute('data-state'), { timeout: 9 * 60_000 })
    .toBe('awaiting_review');

  // The output checker's side.
  const lab = await checkerLab(browser);
  const panel = await openReviewPanel(lab.page, id);
  await snapshot(panel, 'review-queue', testInfo);
  await panel
    .locator(`.jp-hbroker-ReviewRow[data-job-id="${id}"]`)
    .getByRole('button', { name: `Review job ${id} (tables.ipynb)` })
    .click();
  const review = panel.locator(`.jp-hbroker-ReviewJob[data-job-id="${id}"]`);
  await expect(review).toBeVisible();
  const section = (path: string) =>
    review.locator(`.jp-hbroker-ReviewArtifact[data-path="${path}"]`);
  const paths = await review
    .locator('.jp-hbroker-ReviewArtifact')
    .evaluateAll(nodes => nodes.map(n => (n as HTMLElement).dataset.path!));
  expect(paths).toEqual(expect.arrayContaining([approved, rejected, 'tables.ipynb']));

  // The small-count table: flagged by the automatic checks, its small cells marked in the preview.
  const bands = section(rejected);
  await expect(bands).toHaveAttribute('data-flagged', 'true');
  await bands.getByRole('button', { name: `Show preview of ${rejected}` }).click();
  await expect(
    bands.locator('.jp-hbroker-Preview-table th', { hasText: rejectedMark })
  ).toBeVisible();
  await expect(bands.locator('td.jp-hbroker-flagged').first()).toBeVisible();
  await snapshot(bands, 'review-flagged-table', testInfo);
  await section(approved)
    .getByRole('button', { name: `Show preview of ${approved}` })
    .click();
  await expect(section(approved).locator('.jp-hbroker-Preview-table')).toBeVisible();

  // Submitting with something undecided is refused in the panel, naming what is missing.
  await panel.getByRole('button', { name: 'Submit review' }).click();
  await expect(panel.locator('.jp-hbroker-JobsPanel-status[role="alert"]')).toContainText(
    'Still undecided'
  );

  // Approve the weekly counts with the keyboard; the notebook (code only) too; reject the rest.
  const approve = section(approved).getByRole('radio', { name: 'Approve' });
  await approve.focus();
  await lab.page.keyboard.press('Space');
  await expect(approve).toBeChecked();
  await section('tables.ipynb').getByRole('radio', { name: 'Approve' }).check();
  for (const path of paths.filter(p => p !== approved && p !== 'tables.ipynb')) {
    await section(path).getByRole('radio', { name: 'Reject' }).check();
  }
  await bands
    .getByLabel('Comment', { exact: true })
    .fill('Week 5 has bands under 10 people; merge it or suppress.');
  await bands.getByLabel('Who sees the comment').selectOption('author');
  await snapshot(panel, 'review-decided', testInfo);
  await panel.getByRole('button', { name: 'Submit review' }).click();
  await expect(panel.locator('.jp-hbroker-JobsPanel-status')).toHaveText(
    `Review of job ${id} submitted.`
  );
  await expect(panel.locator(`.jp-hbroker-ReviewRow[data-job-id="${id}"]`)).toHaveCount(0);
  await snapshot(panel, 'review-submitted', testInfo);
  expect(lab.errors, "errors in the checker's browser console").toEqual([]);
  await lab.page.context().close();

  // The researcher's side: released, with only the approved table.
  await expectFinalState(row, 'released');
  const job = await service<Job>(`/jobs/${id}`);
  const status = Object.fromEntries(job.artifacts.map(a => [a.path, a.status]));
  expect(status[approved]).toBe('released');
  expect(status[rejected]).toBe('withheld');
  expect(job.feedback?.comments).toContainEqual({
    path: rejected,
    decision: 'reject',
    comment: 'Week 5 has bands under 10 people; merge it or suppress.'
  });
  const v = await vetted(job);
  expect(v.files).toEqual([approved, 'tables.ipynb']);

  await row.getByRole('button', { name: 'Open results' }).click();
  const results = `${folder}/sensitive-results/${id}`;
  await expectResultsFolder(results, job, v);
  await expect.poll(() => openDocuments(page)).toContain(`${results}/tables.ipynb`);
  await expectExecutedNotebook(page, `${results}/tables.ipynb`, v);
  for (const file of v.files) {
    const model = await contents(`${results}/${file}`);
    expect(JSON.stringify(model?.content), `${file} holds nothing of ${rejected}`).not.toContain(
      rejectedMark
    );
  }

  await activateDocument(page, source);
  await row.getByRole('button', { name: 'Insert into notebook' }).click();
  const inserted = JSON.stringify(await expectInsertedResults(page, source, original, job, v));
  expect(inserted, `${approved} is inserted`).toContain('week 6');
  expect(inserted).toContain('280');
  expect(JSON.stringify(await notebookCells(page, source))).not.toContain(rejectedMark);
  const table = page
    .locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell .jp-RenderedHTMLCommon table')
    .last();
  await table.scrollIntoViewIfNeeded();
  await expect(table).toContainText('week 6');
  await snapshot(page, 'review-inserted', testInfo);
});
