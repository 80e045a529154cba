// The submit dialog's body: study, outputs, justification, resources, environment, the files to be
// sent, and an inline error line. The dialog stays open on refusals so the user can fix them.
import { Dialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { ignoreFileName } from '../../hub-service/src/bundle/rules';
import { bundleSize, type IFolderListing } from './bundle';
import type { IEnvironmentChoice } from './environment';
import type { INamedStudy } from './notebookHints';
import { bytes } from './format';
import type { Limits, Resources, Study } from './request';

export interface ISubmitValues {
  study: string;
  outputs: string[];
  justification: string;
  resources: Record<keyof Resources, string>;
  environment: string;
}

export interface ISubmitDialogOptions {
  listing: IFolderListing;
  studies: Study[];
  limits: Limits;
  environment: IEnvironmentChoice;
  /** The user's preferred resources (settings), shown instead of the admin's default. */
  preferred: Resources;
  trans: TranslationBundle;
  /** What the notebook says about itself: the study it names, where its last run here stopped. */
  hints?: { study?: INamedStudy; error?: { cell: number; ename: string } };
}

/** The folder over the bundle limit, in words with what to do; undefined within it. */
export function sizeProblem(
  listing: IFolderListing,
  limits: Limits,
  trans: TranslationBundle
): string | undefined {
  const size = bundleSize(listing);
  if (size <= limits.bundle_mb * 1024 * 1024) {
    return undefined;
  }
  return trans.__(
    'The folder holds %1 MB, over the %2 MB limit. List large files in %3 in this folder (lines like .gitignore’s) to leave them out.',
    (size / 1048576).toFixed(1),
    limits.bundle_mb,
    ignoreFileName
  );
}

/** Warnings the dialog shows before Submit: they do not stop it, they say what will likely go wrong. */
export function warnings(
  chosenStudy: string,
  options: Pick<ISubmitDialogOptions, 'hints' | 'studies' | 'listing' | 'limits' | 'trans'>
): string[] {
  const { hints, studies, trans } = options;
  const found: string[] = [];
  const named = hints?.study;
  const where = (cell?: number) =>
    cell === undefined ? trans.__('in its metadata') : trans.__('in cell %1', cell + 1);
  if (named && !studies.some(s => s.id === named.id)) {
    found.push(
      trans.__(
        'The notebook names study "%1" (%2), which is not among the studies you may use here. Choose the study to run on, or ask your admin for access.',
        named.id,
        where(named.cell)
      )
    );
  } else if (named && named.id !== chosenStudy) {
    found.push(
      trans.__(
        'The notebook names study "%1" (%2), but study "%3" is chosen. The run uses the study chosen here: check it is the one you mean.',
        named.id,
        where(named.cell),
        chosenStudy
      )
    );
  }
  if (hints?.error) {
    found.push(
      trans.__(
        'Cell %1 ended in %2 when the notebook last ran here. The sensitive run would most likely stop there too: fix it and run the notebook on the synthetic data first.',
        hints.error.cell + 1,
        hints.error.ename
      )
    );
  }
  const size = sizeProblem(options.listing, options.limits, trans);
  if (size) {
    found.push(size);
  }
  return found;
}

/** Output paths from the field: separated by commas or new lines, blanks and repeats dropped. */
export function parseOutputs(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]/)
        .map(s => s.trim())
        .filter(Boolean)
    )
  ];
}

function labelled(text: string, field: HTMLElement): HTMLLabelElement {
  const label = document.createElement('label');
  label.className = 'jp-hbroker-SubmitDialog-field';
  const span = document.createElement('span');
  span.textContent = text;
  label.append(span, field);
  return label;
}

export class SubmitForm extends Widget implements Dialog.IBodyWidget<ISubmitValues> {
  private error = document.createElement('div');

  constructor(options: ISubmitDialogOptions) {
    super();
    this.addClass('jp-hbroker-SubmitDialog');
    const { trans, listing, studies, limits, environment, preferred } = options;

    const saved = document.createElement('p');
    saved.className = 'jp-hbroker-SubmitDialog-saved';
    saved.textContent = trans.__(
      '%1 was saved; this saved version and its folder are what will run.',
      listing.notebook
    );

    const study = document.createElement('select');
    study.name = 'study';
    for (const s of studies) {
      const option = document.createElement('option');
      option.value = s.id;
      option.textContent = s.name && s.name !== s.id ? `${s.name} (${s.id})` : s.id;
      study.append(option);
    }
    // The study the notebook names, when the user may choose it; else the list's first.
    if (studies.some(s => s.id === options.hints?.study?.id)) {
      study.value = options.hints!.study!.id;
    }
    const warned = document.createElement('div');
    warned.className = 'jp-hbroker-SubmitDialog-warnings';
    warned.setAttribute('role', 'status');
    const showWarnings = () =>
      warned.replaceChildren(
        ...warnings(study.value, options).map(w => {
          const line = document.createElement('p');
          line.className = 'jp-hbroker-warning';
          line.textContent = w;
          return line;
        })
      );
    study.addEventListener('change', showWarnings);
    showWarnings();

    const outputs = document.createElement('textarea');
    outputs.name = 'outputs';
    outputs.rows = 2;
    outputs.placeholder = trans.__('summary.csv, figures/heart_rate.png');

    const justification = document.createElement('textarea');
    justification.name = 'justification';
    justification.rows = 3;
    justification.placeholder = trans.__('Why you need these outputs, for the output checkers');

    const resources = document.createElement('fieldset');
    resources.className = 'jp-hbroker-SubmitDialog-resources';
    const legend = document.createElement('legend');
    legend.textContent = trans.__('Resources (within this service’s limits)');
    resources.append(legend);
    // No min/max attributes: the browser would only grey out Submit; checkAnswers says why instead.
    const number = (key: keyof Resources, label: string): HTMLLabelElement => {
      const input = document.createElement('input');
      input.type = 'number';
      input.name = key;
      input.step = 'any';
      const max = limits.max[key];
      const value = preferred[key] ?? limits.default[key];
      input.value = value === undefined ? '' : String(value);
      const hint = max === undefined ? label : trans.__('%1 (at most %2)', label, max);
      return labelled(hint, input);
    };
    resources.append(
      number('cpus', trans.__('CPUs')),
      number('memory_mb', trans.__('Memory (MiB)')),
      number('timeout_seconds', trans.__('Time limit (seconds)'))
    );

    const env = document.createElement('textarea');
    env.name = 'environment';
    env.rows = 6;
    env.value = environment.text;
    env.spellcheck = false;
    const envNote = document.createElement('p');
    envNote.className = 'jp-hbroker-SubmitDialog-note';
    envNote.textContent =
      environment.captured_from === 'folder'
        ? trans.__(
            'Environment: the repo2docker files in the folder (%1). Edits below change the copy sent, not your file.',
            environment.files.join(', ')
          )
        : trans.__(
            'Environment: no repo2docker files in the folder, so these pinned requirements (and %1) were captured from the running kernel and will be sent as requirements.txt and runtime.txt.',
            environment.runtime ?? trans.__('no runtime.txt')
          );

    const files = document.createElement('ul');
    files.className = 'jp-hbroker-SubmitDialog-files';
    for (const f of listing.files) {
      const li = document.createElement('li');
      li.textContent = `${f.path} — ${bytes(f.size)}`;
      files.append(li);
    }
    const summary = document.createElement('p');
    summary.className = 'jp-hbroker-SubmitDialog-note';
    const ignoreNote = listing.ignoreFiles.length
      ? trans.__('%1 applied.', listing.ignoreFiles.join(', '))
      : trans.__(
          'To leave files out, list them in %1 in this folder (lines like .gitignore’s); hidden files are never sent from here.',
          ignoreFileName
        );
    summary.textContent = trans.__(
      '%1 files, %2 in total (at most %3 MB); %4 left out. %5',
      listing.files.length,
      bytes(bundleSize(listing)),
      limits.bundle_mb,
      listing.ignored.length,
      ignoreNote
    );

    this.error.className = 'jp-hbroker-error';
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;

    this.node.append(
      saved,
      warned,
      labelled(trans.__('Study'), study),
      labelled(trans.__('Outputs to bring back (comma or line separated)'), outputs),
      labelled(trans.__('Justification'), justification),
      resources,
      labelled(trans.__('Environment'), env),
      envNote,
      labelled(trans.__('Files that will be sent'), files),
      summary,
      this.error
    );
  }

  private field<T extends HTMLElement>(name: string): T {
    return this.node.querySelector(`[name="${name}"]`) as T;
  }

  getValue(): ISubmitValues {
    const value = (name: string) => this.field<HTMLInputElement>(name).value;
    return {
      study: value('study'),
      outputs: parseOutputs(value('outputs')),
      justification: value('justification').trim(),
      resources: {
        cpus: value('cpus'),
        memory_mb: value('memory_mb'),
        timeout_seconds: value('timeout_seconds')
      },
      environment: value('environment')
    };
  }

  /** Shows problems in words inside the dialog (empty clears them). */
  showErrors(problems: string[]): void {
    this.error.hidden = problems.length === 0;
    this.error.replaceChildren(
      ...problems.map(p => {
        const line = document.createElement('div');
        line.textContent = p;
        return line;
      })
    );
    if (problems.length) {
      this.error.scrollIntoView?.({ block: 'nearest' });
    }
  }

  /** Greys the form while the bundle is read and sent. */
  setBusy(busy: boolean): void {
    this.node.classList.toggle('jp-mod-busy', busy);
    this.node.setAttribute('aria-busy', String(busy));
  }
}

/**
 * A Dialog whose accept button runs `onAccept` first and stays open when it reports problems,
 * so service refusals appear inline instead of closing the form.
 */
export class SubmitDialog<T> extends Dialog<T> {
  private pending = false;

  constructor(
    options: Partial<Dialog.IOptions<T>> & { buttons: Dialog.IButton[] },
    private onAccept: () => Promise<boolean>
  ) {
    super(options);
    this.buttonList = options.buttons;
  }

  private buttonList: Dialog.IButton[];

  resolve(index?: number): void {
    const button = this.buttonList[index ?? this.buttonList.length - 1];
    if (!button?.accept) {
      super.resolve(index);
      return;
    }
    if (this.pending) {
      return;
    }
    this.pending = true;
    void this.onAccept()
      .then(ok => {
        this.pending = false;
        if (ok) {
          super.resolve(index);
        }
      })
      .catch(() => {
        this.pending = false;
      });
  }
}
