// Human review in the browser, on a hub of its own whose release policy is `one`: the researcher
// submits a notebook writing two tables; checker1, in a second browser, opens the job from the
// review queue in the review workspace and, with the keyboard alone, sees the small-count table's
// flagged cells, approves the weekly counts (all that passed every check) and the notebook, rejects
// the other table with a comment; the researcher gets back only the approved table, in the
// notebook and in sensitive-results/, and the rejected one nowhere.
import type { Browser, ConsoleMessage, Locator, Page } from '@playwright/test';
import type { IHub } from '../../test/support/hub.js';
import type { Job } from '../../hub-service/src/schema/index.js';
import { activateDocument, notebookCells, openNotebook } from '../support/documents.js';
import { logIn, saveHubLog, startUiHub, stopHub, useHub } from '../support/hubs.js';
import { expect, test } from '../support/lab.js';
import { putNotebook } from '../support/notebooks.js';
import {
  expectInsertedResults,
  expectResultsView,
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

  // The output checker's side: the queue in the sidebar, the job in the review workspace, driven
  // with the keyboard alone from the moment the job is opened.
  const lab = await checkerLab(browser);
  const panel = await openReviewPanel(lab.page, id);
  await snapshot(panel, 'review-queue', testInfo);
  await panel
    .locator(`.jp-hbroker-ReviewRow[data-job-id="${id}"]`)
    .getByRole('button', { name: `Review job ${id} (tables.ipynb)` })
    .press('Enter');
  const review = lab.page.locator(`#hbroker-review-workspace[data-job-id="${id}"]`);
  await expect(review).toBeVisible();
  const list = review.getByRole('listbox', { name: `Outputs of job ${id}` });
  await expect(list).toBeFocused();
  const keys = lab.page.keyboard;
  const selected = () => list.locator('[role="option"][aria-selected="true"]');
  const item = (path: string) => list.locator(`[role="option"][data-path="${path}"]`);
  const paths = await list
    .locator('[role="option"]')
    .evaluateAll(nodes => nodes.map(n => (n as HTMLElement).dataset.path!));
  expect(paths).toEqual(expect.arrayContaining([approved, rejected, 'tables.ipynb']));
  // The kernel printed nothing: no empty log to review.
  expect(paths.filter(p => p.startsWith('hbroker-logs/'))).toEqual([]);

  // The small-count table: flagged, its small cells marked in the large preview beside the list.
  await expect(item(rejected)).toHaveAttribute('data-flagged', 'true');
  while ((await selected().getAttribute('data-path')) !== rejected) {
    await keys.press('ArrowDown');
  }
  const pane = review.locator(`.jp-hbroker-ReviewArtifact[data-path="${rejected}"]`);
  await expect(
    pane.locator('.jp-hbroker-Preview-table th', { hasText: rejectedMark })
  ).toBeVisible();
  await expect(pane.locator('td.jp-hbroker-flagged').first()).toBeVisible();
  await snapshot(review, 'review-workspace-flagged-table', testInfo);
  const theme = async (name: string, light: boolean) => {
    await lab.page.evaluate(
      name => (window as any).jupyterapp.commands.execute('apputils:change-theme', { theme: name }),
      name
    );
    await expect(lab.page.locator('body')).toHaveAttribute('data-jp-theme-light', String(light));
  };
  await theme('JupyterLab Dark', false);
  await snapshot(review, 'review-workspace-flagged-table-dark', testInfo);
  await theme('JupyterLab Light', true);

  // Submitting with something undecided is refused, naming what is missing.
  await review.getByRole('button', { name: 'Submit review' }).press('Enter');
  await expect(review.locator('.jp-hbroker-JobsPanel-status[role="alert"]')).toContainText(
    'Still undecided'
  );
  await list.focus();

  // Shift+A: the weekly counts passed every check, so they are approved together.
  await keys.press('Shift+A');
  await expect(item(approved)).toHaveAttribute('data-decision', 'approve');
  // Then, from the top: approve the notebook (code only), reject the rest; the rejected table
  // with a comment its author sees. a and Ctrl+Enter go on to the next undecided output.
  await keys.press('Home');
  for (;;) {
    const path = await selected().getAttribute('data-path');
    if (path === 'tables.ipynb') {
      await keys.press('a');
    } else {
      await keys.press('r');
      const comment = review.locator(
        `.jp-hbroker-ReviewArtifact[data-path="${path}"] textarea[name="comment"]`
      );
      await expect(comment).toBeFocused();
      if (path === rejected) {
        await keys.type('Week 5 has bands under 10 people; merge it or suppress.');
        await keys.press('Tab');
        await keys.press('ArrowDown');
        await expect(review.getByLabel('Who sees the comment')).toHaveValue('author');
      }
      await keys.press('Control+Enter');
    }
    if (
      await review
        .getByRole('button', { name: 'Submit review' })
        .evaluate(b => b === document.activeElement)
    ) {
      break;
    }
    await expect(list).toBeFocused();
  }
  for (const path of paths) {
    await expect(item(path)).toHaveAttribute(
      'data-decision',
      path === approved || path === 'tables.ipynb' ? 'approve' : 'reject'
    );
  }
  await snapshot(review, 'review-workspace-decided', testInfo);
  await keys.press('Enter');
  await expect(panel.locator('.jp-hbroker-JobsPanel-status')).toHaveText(
    `Review of job ${id} submitted.`
  );
  await expect(review).toHaveCount(0);
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
  await expectResultsView(page, job, v);
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
