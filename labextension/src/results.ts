// Results back: released files copied into sensitive-results/<job-id>/ through the Contents API, and
// released outputs appended to the source notebook as markdown cells (which Run All leaves alone)
// under a heading naming the job and the time it was submitted.
import { PathExt } from '@jupyterlab/coreutils';
import type * as nbformat from '@jupyterlab/nbformat';
import type { Contents } from '@jupyterlab/services';
import { parseCsv } from '../../hub-service/src/vetting/tables';
import type { Artifact, HBrokerClient, Job } from './request';
import { toBase64 } from './tar';

/** Where a job's released files go, beside its notebook. */
export const resultsFolder = (folder: string, jobId: string) =>
  PathExt.join(folder, 'sensitive-results', jobId);

/** Released artifacts that are files (cell outputs travel inside the executed notebook). */
export const releasedFiles = (job: Job): Artifact[] =>
  job.artifacts.filter(a => a.status === 'released' && a.kind !== 'cell_output');

/** Creates each folder of `path` (saving a folder that exists changes nothing). */
async function ensureFolder(contents: Contents.IManager, path: string): Promise<void> {
  let at = '';
  for (const part of path.split('/').filter(Boolean)) {
    at = at ? `${at}/${part}` : part;
    await contents.save(at, { type: 'directory' });
  }
}

/** Copies every released file of the job into sensitive-results/<job-id>/; returns the paths written. */
export async function copyResults(
  client: HBrokerClient,
  contents: Contents.IManager,
  job: Job,
  folder: string
): Promise<string[]> {
  const into = resultsFolder(folder, job.id);
  const written: string[] = [];
  for (const artifact of releasedFiles(job)) {
    const target = PathExt.join(into, artifact.path);
    if (!target.startsWith(`${into}/`)) {
      continue; // the service refuses such paths already; never write outside the results folder
    }
    await ensureFolder(contents, PathExt.dirname(target));
    const data = new Uint8Array(await client.output(job.id, artifact.path));
    await contents.save(target, { type: 'file', format: 'base64', content: toBase64(data) });
    written.push(target);
  }
  return written;
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A markdown table of the first `maxRows` data rows (CSV read as the vetting reads it). */
export function csvToMarkdown(text: string, maxRows = 50): string {
  const { records, count } = parseCsv(text, maxRows + 1);
  const [header, ...rows] = records;
  if (!header) {
    return '';
  }
  const line = (cells: string[]) =>
    `| ${header.map((_, i) => escapeCell(cells[i] ?? '')).join(' | ')} |`;
  const out = [line(header), `| ${header.map(() => '---').join(' | ')} |`];
  out.push(...rows.slice(0, maxRows).map(line));
  const more = count - 1 - maxRows;
  if (more > 0) {
    out.push('', `(${more} more rows in the released file)`);
  }
  return out.join('\n');
}

const imageTypes: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml'
};

const markdown = (source: string, attachments?: nbformat.IAttachments): nbformat.IMarkdownCell => ({
  cell_type: 'markdown',
  source,
  metadata: {},
  ...(attachments ? { attachments } : {})
});

/** The cells that show one released output file. */
export function cellsForFile(path: string, data: Uint8Array): nbformat.ICell[] {
  const name = PathExt.basename(path);
  const ext = PathExt.extname(path).slice(1).toLowerCase();
  const text = () => new TextDecoder().decode(data);
  if (imageTypes[ext]) {
    const mime = imageTypes[ext];
    const payload = ext === 'svg' ? text() : toBase64(data);
    return [
      markdown(`**${name}**\n\n![${name}](attachment:${name})`, { [name]: { [mime]: payload } })
    ];
  }
  if (ext === 'csv') {
    return [markdown(`**${name}**\n\n${csvToMarkdown(text())}`)];
  }
  if (ext === 'md') {
    return [markdown(`**${name}**\n\n${text()}`)];
  }
  if (ext === 'txt' || ext === 'json' || ext === 'log') {
    return [markdown(`**${name}**\n\n\`\`\`\n${text()}\n\`\`\``)];
  }
  return [markdown(`**${name}**: released; "Open results" copies it into the workspace.`)];
}

/** A fence longer than any run of backticks in the text, so nothing in the text can close it. */
export function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map(m => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text.replace(/\n$/, '')}\n${fence}`;
}

const joined = (value: unknown) => (Array.isArray(value) ? value.join('') : String(value ?? ''));
// eslint-disable-next-line no-control-regex
const ansiColour = /\x1b\[[0-9;]*m/g;

/**
 * One released output as markdown, its image as a cell attachment named `name`: markdown is what
 * Run All leaves alone (it clears a code cell's outputs, even a cell with no code).
 */
export function outputMarkdown(
  output: nbformat.IOutput,
  name: string
): { text: string; attachments?: nbformat.IAttachments } {
  const withheld = (output.metadata as { hbroker?: { withheld?: string } } | undefined)?.hbroker
    ?.withheld;
  const data = (output.data ?? {}) as Record<string, unknown>;
  if (withheld) {
    return { text: `_${joined(data['text/plain']).trim()}_` };
  }
  if (output.output_type === 'stream') {
    return { text: fenced(joined(output.text)) };
  }
  if (output.output_type === 'error') {
    const traceback = (output.traceback as string[] | undefined) ?? [];
    return { text: fenced(traceback.join('\n').replace(ansiColour, '')) };
  }
  const image = Object.keys(data).find(m => m.startsWith('image/'));
  if (image) {
    const file = `${name}.${image === 'image/svg+xml' ? 'svg' : image.slice(6)}`;
    return {
      text: `![${file}](attachment:${file})`,
      attachments: { [file]: { [image]: joined(data[image]) } }
    };
  }
  if (data['text/html'] !== undefined) {
    // A blank line on each side keeps it one HTML block; JupyterLab sanitises it when rendering.
    return { text: `\n${joined(data['text/html']).trim()}\n` };
  }
  if (data['text/markdown'] !== undefined) {
    return { text: joined(data['text/markdown']) };
  }
  if (data['text/plain'] === undefined && data['application/json'] !== undefined) {
    return { text: fenced(JSON.stringify(data['application/json'], null, 1)) };
  }
  return { text: fenced(joined(data['text/plain'])) };
}

/** What marks an inserted cell as a sensitive run's result (its metadata `hbroker`). */
export interface IResultMark {
  job: string;
  /** The source cell's index in the executed notebook. */
  cell: number;
  /** The cell-output artifacts it shows. */
  outputs: string[];
}

/**
 * One markdown cell per code cell with kept outputs (withheld ones are already notes), marked as
 * the run's results: they survive Run All, and say where they came from.
 */
export function cellsFromExecutedNotebook(
  notebook: nbformat.INotebookContent,
  job: Pick<Job, 'id' | 'manifest'>
): nbformat.ICell[] {
  const cells: nbformat.ICell[] = [];
  notebook.cells.forEach((cell, index) => {
    const outputs = cell.cell_type === 'code' ? ((cell as nbformat.ICodeCell).outputs ?? []) : [];
    if (!outputs.length) {
      return;
    }
    const parts = outputs.map((output, j) =>
      outputMarkdown(output, `cell${index + 1}-output${j + 1}`)
    );
    const attachments = Object.assign({}, ...parts.map(p => p.attachments ?? {}));
    const mark: IResultMark = {
      job: job.id,
      cell: index,
      outputs: outputs.map((_, j) => `${job.manifest.notebook}/cells/${index}/outputs/${j}`)
    };
    cells.push({
      ...markdown(
        [`*Cell ${index + 1}, sensitive run ${job.id}:*`, ...parts.map(p => p.text)].join('\n\n'),
        Object.keys(attachments).length ? attachments : undefined
      ),
      metadata: { hbroker: { ...mark } }
    });
  });
  return cells;
}

/** When the run was submitted, in UTC: the same for every reader of a shared notebook. */
export function runTime(job: Pick<Job, 'created_at'>): string {
  return `${new Date(job.created_at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The heading cell, then one or more cells per released output. */
export async function resultCells(client: HBrokerClient, job: Job): Promise<nbformat.ICell[]> {
  const cells: nbformat.ICell[] = [
    markdown(
      `## Sensitive run ${job.id} · ${runTime(job)}\n\n` +
        `Released outputs of \`${job.manifest.notebook}\` run on study \`${job.manifest.study}\`` +
        ' (submitted at that time). The cells below are its vetted results, not code: Run All leaves them as they are.'
    )
  ];
  for (const artifact of releasedFiles(job)) {
    const data = new Uint8Array(await client.output(job.id, artifact.path));
    if (artifact.kind === 'notebook') {
      cells.push(...cellsFromExecutedNotebook(JSON.parse(new TextDecoder().decode(data)), job));
    } else if (artifact.kind === 'output') {
      cells.push(...cellsForFile(artifact.path, data));
    }
  }
  return cells;
}
