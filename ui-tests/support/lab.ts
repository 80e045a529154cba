// Galata's test, pointed at the researcher's JupyterLab behind the hub, failing any test whose page
// logged an error to the console or threw.
import { expect, test as galata } from '@jupyterlab/galata';
import type { ConsoleMessage } from '@playwright/test';
import { labBaseUrl, storageState } from './session.js';

export { expect };

/**
 * Console errors that JupyterLab itself logs on every start under JupyterHub, unrelated to HBroker.
 * Each entry says why it is JupyterLab's, not ours.
 */
const knownLabErrors: { pattern: RegExp; why: string }[] = [];

export const test = galata.extend<{ consoleErrors: string[] }>({
  // Known only once the global setup has started the hub (random ports), hence fixtures, not config.
  // eslint-disable-next-line no-empty-pattern
  baseURL: async ({}, use) => use(labBaseUrl()),
  // eslint-disable-next-line no-empty-pattern
  storageState: async ({}, use) => use(storageState()),
  // Galata would make (and delete) a temporary folder through an unauthenticated request; the
  // tests work in the researcher's own notebook folders instead, which the global setup made.
  tmpPath: 'heart-rate',
  // Galata's session tracking deletes kernels through unauthenticated requests too; the hub's
  // shutdown stops the user's server and its kernels at the end.
  sessions: null,
  terminals: null,
  consoleErrors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      const keep = (text: string) => {
        if (!knownLabErrors.some(known => known.pattern.test(text))) {
          errors.push(text);
        }
      };
      context.on('console', (message: ConsoleMessage) => {
        if (message.type() === 'error') {
          const { url, lineNumber } = message.location();
          keep(`${message.text()} (${url}:${lineNumber})`);
        }
      });
      context.on('weberror', error => keep(`uncaught: ${error.error().stack ?? error.error()}`));
      await use(errors);
      expect(errors, 'errors in the browser console').toEqual([]);
    },
    { auto: true }
  ]
});
