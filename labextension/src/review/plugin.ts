// Adds the "Output review" sidebar for users whose scopes include custom:hbroker:review, and
// opens a job of its queue in the review workspace in the main area.
import type { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import type { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import type { HBrokerClient } from '../request';
import { ReviewModel } from './model';
import { ReviewPanel } from './panel';
import { ReviewWorkspace } from './workspace';

// A clipboard with a tick: the checker's side, told apart from the researcher's shield at a glance.
const reviewSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24"><path class="jp-icon3" fill="#616161" d="M19 3h-4.18C14.4 1.84 13.3 1 12 1s-2.4.84-2.82 2H5c-1.1 0-2 .9-2 2v14c0 1.1.9 2 2 2h14c1.1 0 2-.9 2-2V5c0-1.1-.9-2-2-2zm-7 0c.55 0 1 .45 1 1s-.45 1-1 1-1-.45-1-1 .45-1 1-1zm-2 14-4-4 1.41-1.41L10 14.17l6.59-6.59L18 9l-8 8z"/></svg>';

export const reviewIcon = new LabIcon({ name: 'hbroker:review', svgstr: reviewSvg });

/** How long JupyterLab's start waits for the scopes; a later answer still adds the panel. */
const waitForScopes = 5000;

export async function addReviewPanel(
  app: JupyterFrontEnd,
  client: HBrokerClient,
  trans: TranslationBundle,
  restorer: ILayoutRestorer | null
): Promise<void> {
  const model = new ReviewModel(client, trans);
  let workspace: ReviewWorkspace | undefined;
  const openJob = async (id: string) => {
    await model.open(id);
    if (model.view?.job.id !== id) {
      return; // refused: the sidebar shows why
    }
    if (!workspace || workspace.isDisposed) {
      const opened = new ReviewWorkspace(model, trans);
      opened.title.icon = reviewIcon;
      // Closing the tab goes back to the queue; a submitted review closes the tab.
      opened.disposed.connect(() => {
        if (model.view) {
          model.close();
        }
      });
      model.changed.connect(() => {
        if (!model.view && !opened.isDisposed) {
          opened.dispose();
        }
      }, opened);
      app.shell.add(opened, 'main');
      workspace = opened;
    }
    app.shell.activateById(workspace.id);
    workspace.focusList();
  };
  const add = (allowed: boolean) => {
    if (!allowed) {
      return;
    }
    const panel = new ReviewPanel(model, trans, id => void openJob(id));
    panel.title.icon = reviewIcon;
    app.shell.add(panel, 'left', { rank: 910 });
    restorer?.add(panel, panel.id);
  };
  // Not a reviewer, or the service is unreachable (the jobs panel says so): no panel.
  const allowed = model.mayReview().catch(() => false);
  // Added before the layout is restored, the panel reopens where it was after a reload.
  const early = await Promise.race([
    allowed,
    new Promise<undefined>(resolve => setTimeout(resolve, waitForScopes))
  ]);
  if (early === undefined) {
    void allowed.then(add);
  } else {
    add(early);
  }
}
