// Global setup for the UI tests: a real JupyterHub with HBroker (release policy auto), the researcher's
// notebook folder, and a browser session logged in through the hub's login form; returns the teardown.
import type { FullConfig } from '@playwright/test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logIn, saveHubLog, startUiHub, stopHub, useHub } from './support/hubs.js';
import { researcher } from './support/session.js';

export default async function hubSetup(config: FullConfig): Promise<() => Promise<void>> {
  // The jobs panel's progress by cell and failure reasons are shown under failure_detail cell.
  const hub = await startUiHub({ releasePolicy: 'auto', failureDetail: 'cell' });
  const outputDir = join(dirname(fileURLToPath(import.meta.url)), 'test-results');
  try {
    const states = await logIn(hub, [researcher], config.projects[0].use.launchOptions);
    // The researcher's API token is used only by the tests' own checks (the Contents API of their
    // server, the service's job list); the browser itself uses cookies, as a person's would.
    await useHub(hub, states[researcher]);
  } catch (e) {
    saveHubLog(hub, outputDir, 'hub.log');
    await hub.stop();
    throw e;
  }
  return async () => {
    saveHubLog(hub, outputDir, 'hub.log');
    await stopHub(hub);
  };
}
