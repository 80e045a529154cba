// The other ways in: "Submit for sensitive run" in the command palette and in the file browser's
// context menu of a notebook, and the "Sensitive runs" sidebar tab.
import { openNotebook } from '../support/documents.js';
import { expect, test } from '../support/lab.js';

test('submit is in the palette and the notebook context menu; the jobs panel has its sidebar tab', async ({
  page
}) => {
  await openNotebook(page, 'heart-rate/analysis.ipynb');

  await page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell').first().click();
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#modal-command-palette');
  await expect(palette).toBeVisible();
  await palette.locator('input').fill('Submit for sensitive run');
  await expect(
    palette.locator('.lm-CommandPalette-item', { hasText: 'Submit for sensitive run' })
  ).toHaveCount(1);
  await page.keyboard.press('Escape');

  await page.locator('.jp-DirListing-item[title*="analysis.ipynb"]').click({ button: 'right' });
  const menu = page.locator('.lm-Menu');
  await expect(
    menu.locator('.lm-Menu-item', { hasText: 'Submit for sensitive run' })
  ).toBeVisible();
  await page.keyboard.press('Escape');

  const tab = page.locator('.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="hbroker-jobs"]');
  await expect(tab).toHaveAttribute('title', /Sensitive runs/);
});
