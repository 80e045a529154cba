// Results back: released files copied into sensitive-results/<job-id>/ through the Contents API, and
// released outputs appended to the source notebook as cells under a heading naming the job and time.
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

/**
 * An output as JupyterLab holds the ones it loads itself: nbformat's multi-line strings (lists of
 * lines on disk) joined into one string, which would otherwise render joined by commas.
 */
export function joinedOutput(output: nbformat.IOutput): nbformat.IOutput {
  const join = (value: unknown) => (Array.isArray(value) ? value.join('') : value);
  const copy = { ...output } as nbformat.IOutput & { data?: nbformat.IMimeBundle; text?: unknown };
  if (copy.data) {
    copy.data = Object.fromEntries(
      Object.entries(copy.data).map(([mime, value]) => [
        mime,
        mime.endsWith('json') ? value : join(value)
      ])
    ) as nbformat.IMimeBundle;
  }
  if (copy.text !== undefined) {
    copy.text = join(copy.text);
  }
  return copy;
}

/** Code cells carrying the outputs the executed notebook kept (withheld ones are already stripped). */
export function cellsFromExecutedNotebook(notebook: nbformat.INotebookContent): nbformat.ICell[] {
  const cells: nbformat.ICell[] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code' || !(cell as nbformat.ICodeCell).outputs?.length) {
      return;
    }
    cells.push({
      cell_type: 'code',
      source: `# Outputs of cell ${index + 1} in the sensitive run (shown, not re-run here)`,
      metadata: { hbroker: { cell: index } },
      execution_count: null,
      outputs: (cell as nbformat.ICodeCell).outputs.map(joinedOutput)
    });
  });
  return cells;
}

/** The heading cell, then one or more cells per released output. */
export async function resultCells(
  client: HBrokerClient,
  job: Job,
  now = new Date()
): Promise<nbformat.ICell[]> {
  const cells: nbformat.ICell[] = [
    markdown(
      `## Sensitive run ${job.id} · ${now.toLocaleString()}\n\n` +
        `Released outputs of \`${job.manifest.notebook}\` run on study \`${job.manifest.study}\`.`
    )
  ];
  for (const artifact of releasedFiles(job)) {
    const data = new Uint8Array(await client.output(job.id, artifact.path));
    if (artifact.kind === 'notebook') {
      cells.push(...cellsFromExecutedNotebook(JSON.parse(new TextDecoder().decode(data))));
    } else if (artifact.kind === 'output') {
      cells.push(...cellsForFile(artifact.path, data));
    }
  }
  return cells;
}
