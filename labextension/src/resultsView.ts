// "Open results": the executed notebook of a job as a read-only view titled with the job. No kernel,
// no document, nothing to save; outputs are rendered untrusted (no script runs), as JupyterLab
// renders a notebook it did not run itself.
import type * as nbformat from '@jupyterlab/nbformat';
import { OutputArea, OutputAreaModel } from '@jupyterlab/outputarea';
import { MimeModel, type IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Panel, Widget } from '@lumino/widgets';
import type { Job } from './request';
import { runTime } from './results';

const joined = (source: nbformat.MultilineString) =>
  Array.isArray(source) ? source.join('') : source;

function textWidget(tag: string, className: string, text: string): Widget {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return new Widget({ node });
}

function markdownCell(source: string, rendermime: IRenderMimeRegistry): Widget {
  const renderer = rendermime.createRenderer('text/markdown');
  renderer.addClass('jp-hbroker-ResultsView-markdown');
  void renderer.renderModel(new MimeModel({ data: { 'text/markdown': source }, trusted: false }));
  return renderer;
}

function codeCell(
  cell: nbformat.ICodeCell,
  index: number,
  rendermime: IRenderMimeRegistry,
  trans: TranslationBundle
): Widget {
  const box = new Panel();
  box.addClass('jp-hbroker-ResultsView-code');
  box.addWidget(textWidget('pre', 'jp-hbroker-ResultsView-source', joined(cell.source ?? '')));
  if (cell.outputs?.length) {
    const model = new OutputAreaModel({ values: cell.outputs, trusted: false });
    const area = new OutputArea({ model, rendermime });
    area.addClass('jp-hbroker-ResultsView-outputs');
    area.node.setAttribute('aria-label', trans.__('Outputs of cell %1', index + 1));
    box.addWidget(area);
  }
  return box;
}

export class ResultsView extends Panel {
  constructor(
    job: Job,
    notebook: nbformat.INotebookContent,
    folder: string,
    rendermime: IRenderMimeRegistry,
    trans: TranslationBundle
  ) {
    super();
    this.id = `hbroker-results-${job.id}`;
    this.addClass('jp-hbroker-ResultsView');
    this.title.label = trans.__('Results %1 · %2', job.id, job.manifest.notebook);
    this.title.caption = trans.__(
      'Vetted results of sensitive run %1 (%2), read-only',
      job.id,
      job.manifest.notebook
    );
    this.title.closable = true;
    this.node.dataset.jobId = job.id;
    this.addWidget(
      textWidget(
        'p',
        'jp-hbroker-ResultsView-banner',
        trans.__(
          'Read-only: the vetted results of sensitive run %1 of %2 on study %3, submitted %4. Withheld outputs show as a note. The released files are in %5.',
          job.id,
          job.manifest.notebook,
          job.manifest.study,
          runTime(job),
          folder
        )
      )
    );
    notebook.cells.forEach((cell, index) => {
      if (cell.cell_type === 'markdown') {
        this.addWidget(markdownCell(joined(cell.source), rendermime));
      } else if (cell.cell_type === 'code') {
        this.addWidget(codeCell(cell as nbformat.ICodeCell, index, rendermime, trans));
      }
    });
  }
}
