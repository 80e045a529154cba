// The extension's settings act: default resources are what the dialog proposes (and so what is
// sent), and with "open results on release" the results open without a click.
import { galata } from '@jupyterlab/galata';
import type { Job } from '../../hub-service/src/schema/index.js';
import { openNotebook } from '../support/documents.js';
import { expect, test } from '../support/lab.js';
import { putNotebook } from '../support/notebooks.js';
import { contents, service } from '../support/session.js';
import { expectFinalState, jobRow, openJobsPanel, submitFromToolbar } from '../support/submit.js';

const folder = 'settings-check';
const resources = { cpus: 2, memory_mb: 512, timeout_seconds: 120 };

test.use({
  tmpPath: folder,
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    '@hbroker/labextension:plugin': { defaultResources: resources, openResultsOnRelease: true }
  }
});

test.beforeAll(async () => {
  await putNotebook(folder, 'sum.ipynb', ['1 + 1']);
});

test('default resources are proposed and results open on release', async ({ page }, testInfo) => {
  await openNotebook(page, `${folder}/sum.ipynb`);
  const id = await submitFromToolbar(
    page,
    { study: 'demo', outputs: '', justification: 'Checks the settings.' },
    ['sum.ipynb'],
    testInfo
  );
  expect((await service<Job>(`/jobs/${id}`)).manifest.resources).toEqual(resources);

  await expectFinalState(jobRow(await openJobsPanel(page), id), 'released');
  const executed = `${folder}/sensitive-results/${id}/sum.ipynb`;
  await expect(page.locator(`#hbroker-results-${id}`)).toBeVisible();
  await expect.poll(async () => (await contents(executed)) !== undefined).toBe(true);
});
