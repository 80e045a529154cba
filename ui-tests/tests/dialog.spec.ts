// The submit dialog knows before Submit: the study the notebook names is preselected, choosing
// another one shows a warning, and so does a cell whose last run here ended in an error; nothing is
// sent until Submit.
import { openNotebook } from '../support/documents.js';
import { secondStudy } from '../support/hubs.js';
import { expect, test } from '../support/lab.js';
import { codeNotebook } from '../support/notebooks.js';
import { putContents } from '../support/session.js';
import { jobIds, snapshot, submitButton } from '../support/submit.js';

const folder = 'dialog-hints';

test.use({ tmpPath: folder });

test.beforeAll(async () => {
  const notebook = codeNotebook([
    `data_dir = os.environ.get('HBROKER_DATA', '../studies/${secondStudy}')`,
    "df['missing']"
  ]) as { cells: { outputs: unknown[] }[] };
  // Saved as the researcher left it: the second cell's last run here raised KeyError.
  notebook.cells[1].outputs = [
    { output_type: 'error', ename: 'KeyError', evalue: "'missing'", traceback: [] }
  ];
  await putContents(folder, { type: 'directory' });
  await putContents(`${folder}/hints.ipynb`, {
    type: 'notebook',
    format: 'json',
    content: notebook
  });
});

test('the dialog preselects the notebook’s study and warns on a mismatch and a failed last run', async ({
  page
}, testInfo) => {
  await openNotebook(page, `${folder}/hints.ipynb`);
  const before = await jobIds();
  await submitButton(page).getByRole('button').click();
  const dialog = page.locator('.jp-Dialog-content');
  const body = dialog.locator('.jp-hbroker-SubmitDialog');
  const study = body.locator('select[name="study"]');
  await expect(study.locator('option')).toHaveCount(2);
  await expect(study).toHaveValue(secondStudy);
  const warnings = body.locator('.jp-hbroker-SubmitDialog-warnings .jp-hbroker-warning');
  const failedRun =
    'Cell 2 ended in KeyError when the notebook last ran here. The sensitive run would most likely stop there too: fix it and run the notebook on the synthetic data first.';
  await expect(warnings).toHaveText([failedRun]);

  await study.selectOption('demo');
  await expect(warnings).toHaveText([
    `The notebook names study "${secondStudy}" (in cell 1), but study "demo" is chosen. The run uses the study chosen here: check it is the one you mean.`,
    failedRun
  ]);
  await expect(body.locator('.jp-hbroker-SubmitDialog-warnings')).toHaveAttribute('role', 'status');
  await expect(body).toContainText('list them in hbroker-ignore.txt in this folder');
  await snapshot(dialog, 'dialog-study-mismatch', testInfo);
  await page.theme.setDarkTheme();
  await snapshot(dialog, 'dialog-study-mismatch-dark', testInfo);
  await page.theme.setLightTheme();

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  expect(await jobIds(), 'nothing was sent').toEqual(before);
});
