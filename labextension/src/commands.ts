// The extension's commands (ids are part of the UI contract) and what each one does.
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, showErrorMessage } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import type { IJobActions } from './actions';
import { JobDetail } from './detail';
import type { JobFolders } from './folders';
import type { EventStreamFactory, JobsModel } from './model';
import { notifySubmitted } from './notifications';
import type { Resources } from './request';
import { copyResults, releasedFiles, resultCells, resultsFolder } from './results';
import { ResultsView } from './resultsView';
import { submitNotebook } from './submit';

export const CommandIDs = {
  submit: 'hbroker:submit',
  openJobs: 'hbroker:open-jobs',
  openJob: 'hbroker:open-job',
  openResults: 'hbroker:open-results',
  insertResults: 'hbroker:insert-results',
  cancel: 'hbroker:cancel'
} as const;

const shieldSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24"><path class="jp-icon3" fill="#616161" d="M12 1 3 5v6c0 5.55 3.84 10.74 9 12 5.16-1.26 9-6.45 9-12V5l-9-4zm0 10.99h7c-.53 4.12-3.28 7.79-7 8.94V12H5V6.3l7-3.11v8.8z"/></svg>';

export const hbrokerIcon = new LabIcon({ name: 'hbroker:shield', svgstr: shieldSvg });

export interface ICommandParts {
  app: JupyterFrontEnd;
  tracker: INotebookTracker;
  docManager: IDocumentManager;
  model: JobsModel;
  folders: JobFolders;
  trans: TranslationBundle;
  openStream: EventStreamFactory;
  /** Read when a command runs, so settings changes apply at once. */
  settings: () => { defaultResources: Resources; openResultsOnRelease: boolean };
  showPanel: () => void;
  /** Renders "Open results" read-only; without it the executed notebook opens as a document. */
  rendermime?: IRenderMimeRegistry | null;
}

export function registerCommands(parts: ICommandParts): IJobActions {
  const { app, tracker, docManager, model, folders, trans } = parts;
  const { commands, shell } = app;
  const contents = app.serviceManager.contents;
  const details = new Map<string, MainAreaWidget<JobDetail>>();
  const results = new Map<string, ResultsView>();

  const fail = (title: string) => (e: unknown) =>
    void showErrorMessage(title, (e as Error).message ?? String(e));

  /** The job's folder: as recorded at submission, else the current notebook's, else the root. */
  const folderOf = (id: string) =>
    folders.get(id) ??
    (tracker.currentWidget ? PathExt.dirname(tracker.currentWidget.context.path) : '');

  /** The job as the service has it now (artifacts and statuses), once the folders are known. */
  const freshJob = async (id: string) => {
    await folders.ready;
    return model.reload(id);
  };

  const actions: IJobActions = {
    open: id => void commands.execute(CommandIDs.openJob, { id }),
    cancel: id => void commands.execute(CommandIDs.cancel, { id }),
    openResults: id => void commands.execute(CommandIDs.openResults, { id }),
    insertResults: id => void commands.execute(CommandIDs.insertResults, { id })
  };

  commands.addCommand(CommandIDs.submit, {
    label: trans.__('Submit for sensitive run'),
    caption: trans.__('Submit for sensitive run'),
    // In the notebook toolbar the button shows its words (the toolbar drops labels of icon buttons).
    icon: args => (args.toolbar ? undefined : hbrokerIcon),
    isEnabled: () => !!tracker.currentWidget,
    execute: async () => {
      // Always the current notebook: what the user is looking at, saved, with its kernel.
      const panel: NotebookPanel | null = tracker.currentWidget;
      if (!panel) {
        await showErrorMessage(
          trans.__('Submit for sensitive run'),
          trans.__('Open the notebook you want to run, then submit it.')
        );
        return;
      }
      const job = await submitNotebook(panel, {
        client: model.client,
        contents,
        trans,
        preferred: parts.settings().defaultResources
      });
      if (!job) {
        return;
      }
      await folders.set(job.id, PathExt.dirname(panel.context.path));
      model.add(job);
      notifySubmitted(job.id, { openJob: actions.open }, trans);
      parts.showPanel();
    }
  });

  commands.addCommand(CommandIDs.openJobs, {
    label: trans.__('Show sensitive runs'),
    execute: () => parts.showPanel()
  });

  commands.addCommand(CommandIDs.openJob, {
    label: trans.__('Open sensitive run'),
    execute: args => {
      const id = String(args.id ?? '');
      let widget = details.get(id);
      if (!widget || widget.isDisposed) {
        const content = new JobDetail(id, model, actions, trans, parts.openStream);
        widget = new MainAreaWidget({ content });
        widget.id = content.id;
        widget.title.label = content.title.label;
        widget.title.icon = hbrokerIcon;
        widget.title.closable = true;
        details.set(id, widget);
        shell.add(widget, 'main');
      }
      shell.activateById(widget.id);
    }
  });

  commands.addCommand(CommandIDs.cancel, {
    label: trans.__('Cancel sensitive run'),
    execute: args =>
      model.cancel(String(args.id ?? '')).catch(fail(trans.__('Could not cancel the run')))
  });

  commands.addCommand(CommandIDs.openResults, {
    label: trans.__('Open results of a sensitive run'),
    execute: async args => {
      const id = String(args.id ?? '');
      try {
        const job = await freshJob(id);
        const written = await copyResults(model.client, contents, job, folderOf(id));
        const executed = releasedFiles(job).find(a => a.kind === 'notebook');
        const opened = executed && written.find(p => p.endsWith(`/${executed.path}`));
        if (opened && parts.rendermime) {
          // A read-only view titled with the job: no kernel, nothing to save.
          const file = await contents.get(opened, { content: true, type: 'notebook' });
          const view = new ResultsView(
            job,
            file.content,
            resultsFolder(folderOf(id), id),
            parts.rendermime,
            trans
          );
          view.title.icon = hbrokerIcon;
          results.get(id)?.dispose();
          results.set(id, view);
          shell.add(view, 'main');
          shell.activateById(view.id);
        } else if (opened) {
          docManager.openOrReveal(opened);
        } else if (!written.length) {
          await showErrorMessage(
            trans.__('Open results'),
            trans.__('Job %1 has no released files.', id)
          );
        }
      } catch (e) {
        fail(trans.__('Could not open the results'))(e);
      }
    }
  });

  commands.addCommand(CommandIDs.insertResults, {
    label: trans.__('Insert results of a sensitive run into its notebook'),
    execute: async args => {
      const id = String(args.id ?? '');
      try {
        const job = await freshJob(id);
        const path = PathExt.join(folderOf(id), job.manifest.notebook);
        const widget = docManager.openOrReveal(path) as NotebookPanel | undefined;
        if (!widget) {
          throw new Error(trans.__('Could not open %1.', path));
        }
        await widget.context.ready;
        const cells = await resultCells(model.client, job);
        const shared = widget.content.model!.sharedModel;
        shared.insertCells(shared.cells.length, cells as never);
        widget.content.activeCellIndex = shared.cells.length - cells.length;
        widget.content.scrollToItem?.(widget.content.activeCellIndex);
      } catch (e) {
        fail(trans.__('Could not insert the results'))(e);
      }
    }
  });

  return actions;
}
