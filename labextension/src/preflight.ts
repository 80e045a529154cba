// The job's preflight on synthetic data, for its author: how it went, every file it wrote, and the
// full traceback of a failing cell (synthetic data: nothing in it is sensitive).
import type { TranslationBundle } from '@jupyterlab/translation';
import type { HBrokerClient, Job, PreflightResult } from './request';

interface INotebookOutput {
  output_type?: string;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** Terminal colour codes in IPython's tracebacks, which a <pre> would show as noise. */
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

/** Every error output of an executed notebook, as plain text. */
export function tracebacks(notebook: string): string[] {
  const nb = JSON.parse(notebook) as { cells?: { outputs?: INotebookOutput[] }[] };
  return (nb.cells ?? [])
    .flatMap(c => c.outputs ?? [])
    .filter(o => o.output_type === 'error')
    .map(o =>
      (o.traceback?.length ? o.traceback.join('\n') : `${o.ename}: ${o.evalue}`).replace(ansi, '')
    );
}

export async function preflightSection(
  job: Job,
  client: HBrokerClient,
  trans: TranslationBundle
): Promise<HTMLElement> {
  const result: PreflightResult = await client.preflight(job.id);
  const box = document.createElement('div');
  box.className = 'jp-hbroker-Preflight';
  box.dataset.outcome = result.outcome;
  const summary = document.createElement('p');
  summary.className = 'jp-hbroker-Preflight-summary';
  summary.textContent = trans.__('Preflight %1.', result.reason);
  box.append(summary);
  const notebook = result.files.find(f => f.path === job.manifest.notebook);
  if (result.outcome === 'failed' && notebook) {
    const bytes = await client.preflightOutput(job.id, notebook.path);
    for (const text of tracebacks(new TextDecoder().decode(bytes))) {
      const pre = document.createElement('pre');
      pre.className = 'jp-hbroker-Preflight-traceback';
      pre.textContent = text;
      box.append(pre);
    }
  }
  if (result.files.length) {
    const files = document.createElement('ul');
    files.className = 'jp-hbroker-Preflight-files';
    for (const f of result.files) {
      const li = document.createElement('li');
      li.textContent = trans.__('%1 (%2 bytes, synthetic)', f.path, f.size);
      files.append(li);
    }
    box.append(files);
  }
  for (const path of result.missing) {
    const missing = document.createElement('p');
    missing.className = 'jp-hbroker-Preflight-missing';
    missing.textContent = trans.__('Not written on synthetic data: %1', path);
    box.append(missing);
  }
  return box;
}
