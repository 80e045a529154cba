// The "Sensitive runs" sidebar is part of the layout JupyterLab restores when the page is loaded again.
import { expect, test } from '../support/lab.js';
import { openJobsPanel } from '../support/submit.js';

test('the jobs panel is open again after reloading JupyterLab', async ({ page }) => {
  const saved = page.waitForRequest(
    r =>
      r.method() === 'PUT' &&
      /\/api\/workspaces\//.test(r.url()) &&
      (r.postData() ?? '').includes('hbroker-jobs')
  );
  await openJobsPanel(page);
  await saved;
  // JupyterLab's plain URL: a /tree/ URL would bring the file browser to the front instead.
  await page.goto();
  await expect(page.locator('#hbroker-jobs')).toBeVisible();
  await expect(
    page.locator('.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="hbroker-jobs"]')
  ).toHaveClass(/lm-mod-current/);
});
