// What "Open results" and "Insert into notebook" must have produced for a released job, checked
// against the service's own record of what was released and what was withheld.
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { ICell } from '@jupyterlab/nbformat';
import type { Locator } from '@playwright/test';
import type { Artifact, Job } from '../../hub-service/src/schema/index.js';
import { notebookCells, openDocuments } from './documents.js';
import { expect } from './lab.js';
import { contents, env, labBaseUrl, releasedOutput } from './session.js';

/** An output as JupyterLab and nbformat both mean it: multi-line strings joined. */
function normalized(output: any): unknown {
  const text = (v: unknown) => (Array.isArray(v) ? v.join('') : v);
  return {
    output_type: output.output_type,
    name: output.name,
    text: text(output.text),
    data: Object.fromEntries(
      Object.entries(output.data ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, text(v)])
    )
  };
}

export interface IVetted {
  /** Released files (the executed notebook, declared outputs), sorted. */
  files: string[];
  /** Released cell outputs, as the service serves them. */
  cellOutputs: { artifact: Artifact; output: unknown }[];
  /** Cell outputs that vetting withheld. */
  withheldCellOutputs: Artifact[];
}

/** What the service released and withheld for a job, with the released cell outputs' contents. */
export async function vetted(job: Job): Promise<IVetted> {
  const released = (a: Artifact) => a.status === 'released';
  const cells = job.artifacts.filter(a => a.kind === 'cell_output');
  return {
    files: job.artifacts
      .filter(a => released(a) && (a.kind === 'notebook' || a.kind === 'output'))
      .map(a => a.path)
      .sort(),
    cellOutputs: await Promise.all(
      cells.filter(released).map(async artifact => ({
        artifact,
        output: normalized(JSON.parse((await releasedOutput(job.id, artifact.path)).toString()))
      }))
    ),
    withheldCellOutputs: cells.filter(a => !released(a))
  };
}

/** Open results: exactly the released files in the folder, each as released. */
export async function expectResultsFolder(folder: string, job: Job, v: IVetted): Promise<void> {
  await expect
    .poll(async () =>
      ((await contents(folder))?.content ?? []).map((f: { name: string }) => f.name).sort()
    )
    .toEqual(v.files);
  for (const path of v.files.filter(p => !p.endsWith('.ipynb'))) {
    const model = await contents(`${folder}/${path}`);
    const bytes = await releasedOutput(job.id, path);
    expect(model?.content, `${path} as released`).toBe(
      model?.format === 'base64' ? bytes.toString('base64') : bytes.toString('utf8')
    );
  }
}

/** Every kernel session of the researcher's server, by the path it was started for. */
async function sessionPaths(): Promise<string[]> {
  const r = await fetch(`${labBaseUrl()}/api/sessions`, {
    headers: { Authorization: `token ${process.env[env.token]}` }
  });
  return ((await r.json()) as { path: string }[]).map(s => s.path);
}

/**
 * Open results: a read-only view titled with the job, not a document (nothing to save, no kernel),
 * showing every released cell output and the service's note for each withheld one.
 */
export async function expectResultsView(
  page: IJupyterLabPageFixture,
  job: Job,
  v: IVetted
): Promise<Locator> {
  const view = page.locator(`#hbroker-results-${job.id}`);
  await expect(view).toBeVisible();
  const tab = page.locator(`.lm-TabBar-tab[data-id="hbroker-results-${job.id}"]`);
  await expect(tab).toContainText(`Results ${job.id} · ${job.manifest.notebook}`);
  await expect(tab).not.toHaveClass(/jp-mod-dirty/);
  expect(await openDocuments(page), 'the results are a view, not a document').not.toContainEqual(
    expect.stringContaining(`sensitive-results/${job.id}/`)
  );
  expect(await sessionPaths(), 'no kernel for the results').not.toContainEqual(
    expect.stringContaining(`sensitive-results/${job.id}/`)
  );
  const outputs = view.locator('.jp-OutputArea-output');
  await expect(outputs).toHaveCount(v.cellOutputs.length + v.withheldCellOutputs.length);
  for (const { output } of v.cellOutputs) {
    const text = (output as { text?: string }).text;
    if (text?.trim()) {
      await expect(view, 'a released stream output shows').toContainText(
        text.trim().split('\n')[0]
      );
    }
  }
  if (v.withheldCellOutputs.length) {
    await expect(view.getByText(/not released/).first()).toBeVisible();
  }
  return view;
}

/** What an inserted result cell carries: the artifacts it shows (metadata) and its markdown. */
interface IResultCell {
  source: string;
  attachments: Record<string, Record<string, string>>;
  outputs: string[];
}

/**
 * Insert into notebook: the source's own cells untouched, then a heading naming the job at its
 * submission time, then markdown cells (nothing Run All could clear) holding every released cell
 * output and, of withheld ones, only the service's notes. Returns the inserted cells after the
 * heading.
 */
export async function expectInsertedResults(
  page: IJupyterLabPageFixture,
  source: string,
  original: ICell[],
  job: Job,
  v: IVetted
): Promise<ICell[]> {
  await expect
    .poll(async () => (await notebookCells(page, source)).length)
    .toBeGreaterThan(original.length + 1);
  const cells = await notebookCells(page, source);
  expect(cells.slice(0, original.length)).toEqual(original);
  const heading = cells[original.length];
  expect(heading.cell_type).toBe('markdown');
  const text = (value: unknown) => (Array.isArray(value) ? value.join('') : String(value ?? ''));
  const submitted = `${new Date(job.created_at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  expect(text(heading.source).split('\n')[0]).toBe(`## Sensitive run ${job.id} · ${submitted}`);

  const inserted = cells.slice(original.length + 1);
  expect(
    inserted.map(c => c.cell_type),
    'every inserted cell is markdown'
  ).toEqual(inserted.map(() => 'markdown'));
  const results: IResultCell[] = inserted
    .filter(c => (c.metadata as any)?.hbroker?.job === job.id)
    .map(c => ({
      source: text(c.source),
      attachments: (c.attachments ?? {}) as IResultCell['attachments'],
      outputs: (c.metadata as any).hbroker.outputs
    }));
  const shown = results.flatMap(r => r.outputs);
  for (const { artifact, output } of v.cellOutputs) {
    const cell = results.find(r => r.outputs.includes(artifact.path));
    expect(cell, `${artifact.path} is inserted`).toBeDefined();
    const o = output as { text?: string; data: Record<string, string> };
    const image = Object.keys(o.data).find(m => m.startsWith('image/'));
    const expected = image
      ? undefined
      : (
          o.text ??
          o.data['text/html'] ??
          o.data['text/markdown'] ??
          o.data['text/plain'] ??
          ''
        ).trim();
    if (image) {
      const payloads = Object.values(cell!.attachments).map(a => a[image]);
      expect(payloads, `${artifact.path}'s image is attached`).toContain(o.data[image]);
    } else if (expected) {
      expect(cell!.source, `${artifact.path}'s content is in its cell`).toContain(expected);
    }
  }
  const released = new Set(v.cellOutputs.map(c => c.artifact.path));
  for (const path of shown.filter(p => !released.has(p))) {
    expect(
      v.withheldCellOutputs.map(a => a.path),
      `inserted ${path} was released or is a withheld note`
    ).toContain(path);
  }
  return inserted;
}
