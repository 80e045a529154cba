// The buttons a job offers (Cancel, Open results, Insert into notebook), shared by row and detail.
import type { TranslationBundle } from '@jupyterlab/translation';
import { isTerminal } from '../../hub-service/src/jobs/states';
import type { Job } from './request';

export interface IJobActions {
  open(id: string): void;
  cancel(id: string): void;
  openResults(id: string): void;
  insertResults(id: string): void;
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'jp-mod-styled jp-hbroker-button';
  b.textContent = label;
  b.addEventListener('click', event => {
    event.stopPropagation();
    onClick();
  });
  return b;
}

export function jobActions(job: Job, actions: IJobActions, trans: TranslationBundle): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'jp-hbroker-JobActions';
  if (!isTerminal(job.state)) {
    bar.append(button(trans.__('Cancel'), () => actions.cancel(job.id)));
  }
  if (job.state === 'released') {
    bar.append(
      button(trans.__('Open results'), () => actions.openResults(job.id)),
      button(trans.__('Insert into notebook'), () => actions.insertResults(job.id))
    );
  }
  return bar;
}
