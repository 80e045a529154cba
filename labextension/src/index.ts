// The HBroker JupyterLab extension: wiring only. Each part lives in its own module.
import {
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandIDs, hbrokerIcon, registerCommands } from './commands';
import { JobFolders } from './folders';
import { JobsModel, type IEventStream } from './model';
import { notifyStateChange } from './notifications';
import { JobsPanel } from './panel';
import { HBrokerClient, serviceUrlFromHub, type Resources } from './request';
import { addReviewPanel } from './review/plugin';

const pluginId = '@hbroker/labextension:plugin';

const plugin: JupyterFrontEndPlugin<void> = {
  id: pluginId,
  description:
    'Submit for sensitive run, the jobs panel, and vetted results back into the notebook.',
  autoStart: true,
  requires: [INotebookTracker, IDocumentManager],
  optional: [
    ISettingRegistry,
    ITranslator,
    ILayoutRestorer,
    ICommandPalette,
    IStateDB,
    IRenderMimeRegistry
  ],
  activate: async (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    docManager: IDocumentManager,
    registry: ISettingRegistry | null,
    translator: ITranslator | null,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    state: IStateDB | null,
    rendermime: IRenderMimeRegistry | null
  ) => {
    const trans = (translator ?? nullTranslator).load('hbroker');
    const settings = registry ? await registry.load(pluginId).catch(() => null) : null;
    const read = () => ({
      serviceUrl: (settings?.composite.serviceUrl as string) || serviceUrlFromHub(),
      defaultResources: (settings?.composite.defaultResources as Resources) ?? {},
      openResultsOnRelease: (settings?.composite.openResultsOnRelease as boolean) ?? false
    });
    const client = new HBrokerClient(
      read().serviceUrl,
      (input, init) => window.fetch(input, init),
      trans
    );
    const openStream = (url: string) =>
      new EventSource(url, { withCredentials: true }) as IEventStream;
    const model = new JobsModel(client, openStream, trans);
    const folders = new JobFolders(state ?? undefined);

    const showPanel = () => app.shell.activateById(JobsPanel.id);
    const actions = registerCommands({
      app,
      tracker,
      docManager,
      model,
      folders,
      trans,
      openStream,
      settings: read,
      showPanel,
      rendermime
    });
    const panel = new JobsPanel(model, actions, trans, id => folders.get(id));
    void client
      .me()
      .then(me => panel.setViewer({ user: me.user, admin: me.admin }))
      .catch(() => undefined);
    panel.title.icon = hbrokerIcon;
    app.shell.add(panel, 'left', { rank: 900 });
    restorer?.add(panel, panel.id);

    model.stateChanged.connect((_, change) =>
      notifyStateChange(
        change,
        {
          openJob: actions.open,
          onReleased: id => {
            if (read().openResultsOnRelease) {
              actions.openResults(id);
            }
          }
        },
        trans
      )
    );
    // Output checkers also get the review panel (decided by their scopes at the service).
    await addReviewPanel(app, client, trans, restorer);
    palette?.addItem({ command: CommandIDs.submit, category: trans.__('Sensitive runs') });
    palette?.addItem({ command: CommandIDs.openJobs, category: trans.__('Sensitive runs') });
    // Follow unfinished jobs from the start, so notifications arrive with the panel closed.
    void app.restored.then(() => model.refresh());
  }
};

export default [plugin];
