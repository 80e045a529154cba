// What "Open results" and "Insert into notebook" must have produced for a released job, checked
// against the service's own record of what was released and what was withheld.
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { ICell, IOutput } from '@jupyterlab/nbformat';
import type { Artifact, Job } from '../../hub-service/src/schema/index.js';
import { notebookCells } from './documents.js';
import { expect } from './lab.js';
import { contents, releasedOutput } from './session.js';

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

/** The service's stand-in for an output that vetting withheld. */
const withheldNote = (output: any): string | undefined => output?.metadata?.hbroker?.withheld;

const outputsOf = (cells: ICell[]): IOutput[] =>
  cells.flatMap(cell => (cell.cell_type === 'code' ? ((cell.outputs as IOutput[]) ?? []) : []));

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

/** The executed notebook as opened: released cell outputs as released, withheld ones replaced. */
export async function expectExecutedNotebook(
  page: IJupyterLabPageFixture,
  path: string,
  v: IVetted
): Promise<void> {
  const cells = await notebookCells(page, path);
  const at = (a: Artifact) =>
    (cells[a.cell_output!.cell].outputs as IOutput[])[a.cell_output!.output];
  for (const { artifact, output } of v.cellOutputs) {
    expect(normalized(at(artifact)), `${artifact.path} in the opened notebook`).toEqual(output);
  }
  for (const artifact of v.withheldCellOutputs) {
    expect(withheldNote(at(artifact)), `${artifact.path} is withheld`).toBe(artifact.path);
  }
}

/**
 * Insert into notebook: the source's own cells untouched, then a heading naming the job, then
 * cells that hold every released cell output and otherwise only the service's withheld notes.
 * Returns the inserted cells after the heading.
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
  const headingText = Array.isArray(heading.source) ? heading.source.join('') : heading.source;
  expect(headingText.split('\n')[0]).toMatch(new RegExp(`^## Sensitive run ${job.id}\\b`));

  const inserted = cells.slice(original.length + 1);
  const outputs = outputsOf(inserted);
  for (const { artifact, output } of v.cellOutputs) {
    expect(outputs.map(normalized), `${artifact.path} is inserted`).toContainEqual(output);
  }
  for (const output of outputs as any[]) {
    // As JupyterLab holds outputs it loaded itself (nbformat joins multi-line strings on reading);
    // a list of lines would render joined by commas.
    for (const [mime, value] of Object.entries(output.data ?? {})) {
      expect(typeof value === 'string' || mime.endsWith('json'), `${mime} is one string`).toBe(
        true
      );
    }
    expect(output.text === undefined || typeof output.text === 'string', 'text is one string').toBe(
      true
    );
  }
  const releasedOutputs = v.cellOutputs.map(c => JSON.stringify(c.output));
  for (const output of outputs) {
    const known =
      releasedOutputs.includes(JSON.stringify(normalized(output))) ||
      v.withheldCellOutputs.some(a => withheldNote(output) === a.path);
    expect(known, `inserted output ${JSON.stringify(output).slice(0, 200)} was released`).toBe(
      true
    );
  }
  return inserted;
}
