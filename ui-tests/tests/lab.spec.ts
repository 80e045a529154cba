// The harness itself: the researcher, logged in through the hub, has JupyterLab (with HBroker's
// extension loaded) on their own server and opens the example notebook, with a clean console.
import { openNotebook } from '../support/documents.js';
import { expect, test } from '../support/lab.js';
import { researcher } from '../support/session.js';

test('the researcher opens the example notebook in JupyterLab behind the hub', async ({
  page
}, testInfo) => {
  expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/user/${researcher}/lab`));
  await openNotebook(page, 'heart-rate/analysis.ipynb');
  await expect(page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')).toHaveCount(4);
  await expect(
    page.locator('.jp-MarkdownCell h1', { hasText: 'Resting heart rate by week' })
  ).toBeVisible();
  const path = testInfo.outputPath('lab.png');
  await page.screenshot({ path });
  await testInfo.attach('lab', { path, contentType: 'image/png' });
});
