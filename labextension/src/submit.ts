// Submit for sensitive run: save the notebook, gather what the dialog shows, check the answers,
// build the bundle in the browser and send it; refusals are shown inside the dialog.
import { Dialog, showErrorMessage } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import { listBundle, packBundle, type IFolderListing } from './bundle';
import {
  captureFromKernel,
  editableEnvironmentFile,
  environmentForBundle,
  importedModules,
  type IEnvironmentChoice
} from './environment';
import { readResources, resourceProblems } from './limits';
import type { HBrokerClient, Job, JobManifest, Limits, Resources } from './request';
import { ServiceError } from './request';
import { lastRunError, studyNamedIn, type INotebookLike } from './notebookHints';
import { SubmitDialog, SubmitForm, sizeProblem, type ISubmitValues } from './submitDialog';

export interface ISubmitContext {
  client: HBrokerClient;
  contents: Contents.IManager;
  trans: TranslationBundle;
  preferred: Resources;
}

/** The environment shown in the dialog: the folder's repo2docker files, or a kernel capture. */
async function chooseEnvironment(
  panel: NotebookPanel,
  listing: IFolderListing,
  contents: Contents.IManager
): Promise<IEnvironmentChoice> {
  if (listing.environment.length) {
    const editablePath = editableEnvironmentFile(listing.environment);
    let text = '';
    if (editablePath) {
      const model = await contents.get(
        `${listing.folder ? listing.folder + '/' : ''}${editablePath}`,
        {
          type: 'file',
          format: 'text',
          content: true
        }
      );
      text = String(model.content ?? '');
    }
    return { captured_from: 'folder', files: listing.environment, editablePath, text };
  }
  const kernel = panel.sessionContext.session?.kernel;
  if (!kernel) {
    return { captured_from: 'kernel', files: [], text: '' };
  }
  const sources = (panel.content.model?.sharedModel.cells ?? [])
    .filter(cell => cell.cell_type === 'code')
    .map(cell => cell.getSource());
  const captured = await captureFromKernel(kernel, importedModules(sources));
  return {
    captured_from: 'kernel',
    files: [],
    text: captured.requirements,
    runtime: captured.runtime
  };
}

/** Everything wrong with the answers before anything is sent, in words. */
export function checkAnswers(
  values: ISubmitValues,
  limits: Limits,
  listing: IFolderListing,
  trans: TranslationBundle
): string[] {
  const problems: string[] = [];
  if (!values.study) {
    problems.push(trans.__('Choose a study. If the list is empty, ask your admin for access.'));
  }
  for (const output of values.outputs) {
    if (output.startsWith('/') || output.split('/').includes('..')) {
      problems.push(trans.__('The output "%1" must be a path inside the notebook folder.', output));
    }
  }
  problems.push(...resourceProblems(readResources(values.resources), limits, trans));
  const size = sizeProblem(listing, limits, trans);
  if (size) {
    problems.push(size);
  }
  return problems;
}

/** The manifest the answers describe. */
export function manifestFrom(
  values: ISubmitValues,
  listing: IFolderListing,
  environment: JobManifest['environment']
): JobManifest {
  const manifest: JobManifest = {
    notebook: listing.notebook,
    study: values.study,
    outputs: values.outputs,
    resources: readResources(values.resources),
    environment
  };
  if (values.justification) {
    manifest.justification = values.justification;
  }
  return manifest;
}

/** A service refusal as the lines shown in the dialog. */
export function describeError(e: unknown): string[] {
  if (e instanceof ServiceError) {
    return [e.message, ...e.details];
  }
  return [(e as Error).message ?? String(e)];
}

/** Runs the whole submission for a notebook; resolves to the job, or undefined if canceled. */
export async function submitNotebook(
  panel: NotebookPanel,
  context: ISubmitContext
): Promise<Job | undefined> {
  const { client, contents, trans } = context;
  await panel.context.save();
  let listing: IFolderListing;
  let studies;
  let limits: Limits;
  let environment: IEnvironmentChoice;
  try {
    [listing, { studies }, limits] = await Promise.all([
      listBundle(contents, panel.context.path),
      client.studies(),
      client.limits()
    ]);
    environment = await chooseEnvironment(panel, listing, contents);
  } catch (e) {
    await showErrorMessage(
      trans.__('Cannot submit for a sensitive run'),
      describeError(e).join(' ')
    );
    return undefined;
  }
  const saved = panel.content.model?.toJSON() as unknown as INotebookLike | undefined;
  const form = new SubmitForm({
    listing,
    studies,
    limits,
    environment,
    preferred: context.preferred,
    trans,
    hints: saved && {
      study: studyNamedIn(
        saved,
        studies.map(s => s.id)
      ),
      error: lastRunError(saved)
    }
  });
  let job: Job | undefined;
  const dialog = new SubmitDialog<ISubmitValues>(
    {
      title: trans.__('Submit for sensitive run'),
      body: form,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Submit') })
      ],
      focusNodeSelector: '[name="study"]'
    },
    async () => {
      const values = form.getValue();
      const problems = checkAnswers(values, limits, listing, trans);
      form.showErrors(problems);
      if (problems.length) {
        return false;
      }
      form.setBusy(true);
      try {
        const env = environmentForBundle(environment, values.environment);
        const bundle = await packBundle(contents, listing, env.extra);
        job = await client.submit(manifestFrom(values, listing, env.spec), bundle.tar);
        return true;
      } catch (e) {
        form.showErrors(describeError(e));
        return false;
      } finally {
        form.setBusy(false);
      }
    }
  );
  const result = await dialog.launch();
  return result.button.accept ? job : undefined;
}
