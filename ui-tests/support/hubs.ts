// Starting a JupyterHub for the UI tests and signing users in through its login form: used by the
// global setup (policy auto, the researcher) and by specs that need a hub of their own (e.g. a
// human-review policy with an output checker).
import { chromium, type LaunchOptions } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHub, type IHub, type IHubOptions } from '../../test/support/hub.js';
import { repoRoot } from '../../test/support/service.js';
import { leftovers } from './leftovers.js';
import { env, researcher } from './session.js';

/** Where JupyterLab keeps Galata's in-page helper extension (it exposes `window.galata`). */
function galataExtensionDir(): string {
  return execFileSync(
    join(repoRoot, '.venv/bin/python'),
    ['-c', 'import jupyterlab.galata, os; print(os.path.dirname(jupyterlab.galata.__file__))'],
    { encoding: 'utf8' }
  ).trim();
}

/** The id of the UI hub's second study (a copy of the synthetic demo study). */
export const secondStudy = 'demo-copy';

/** A hub whose users' JupyterLab Galata can drive; the researcher has the example notebook folder. */
export async function startUiHub(options: IHubOptions = {}): Promise<IHub> {
  const hub = await startHub({
    studiesDir: join(repoRoot, 'examples/studies'),
    // Test-only JupyterLab options: Galata drives the app through window.jupyterapp and its helper
    // extension. The server keeps its hub authentication and XSRF checks.
    serverArgs: [
      '--LabApp.expose_app_in_browser=True',
      `--LabServerApp.extra_labextensions_path=${galataExtensionDir()}`
    ],
    ...options
  });
  // The researcher's notebook folder, as they would have it in their home: the example analysis.
  const home = join(hub.dir, 'home', researcher);
  cpSync(join(repoRoot, 'examples/heart-rate'), join(home, 'heart-rate'), { recursive: true });
  // And the synthetic study where the example looks for it outside a run ('../studies/demo'), so
  // the notebook also runs in their own server, as a researcher's would.
  cpSync(join(repoRoot, 'examples/studies/demo'), join(home, 'studies', 'demo'), {
    recursive: true
  });
  // A second synthetic study, so the study a notebook names can differ from the one chosen.
  cpSync(join(repoRoot, 'examples/studies/demo'), join(hub.dir, 'studies', secondStudy), {
    recursive: true
  });
  return hub;
}

/**
 * Logs users in through the hub's login form in Chromium (which spawns their servers and lands in
 * JupyterLab); returns each one's saved browser state (cookies), by user.
 */
export async function logIn(
  hub: IHub,
  users: string[],
  launchOptions: LaunchOptions | undefined
): Promise<Record<string, string>> {
  const states: Record<string, string> = {};
  const browser = await chromium.launch(launchOptions);
  try {
    for (const user of users) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${hub.url}/hub/login`);
      await page.locator('input[name="username"]').fill(user);
      await page.locator('input[name="password"]').fill(hub.password);
      await page.locator('input[type="submit"], button[type="submit"]').first().click();
      // Logging in spawns the user's server; the hub then sends the browser on to JupyterLab.
      await page.waitForURL(new RegExp(`/user/${user}/lab`), { timeout: 180_000 });
      states[user] = join(hub.dir, `browser-state-${user}.json`);
      await context.storageState({ path: states[user] });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return states;
}

/** Points the tests' session helpers (support/session.ts) at this hub and the researcher. */
export async function useHub(hub: IHub, researcherState: string): Promise<void> {
  const { token } = await hub.tokenFor(researcher);
  process.env[env.hubUrl] = hub.url;
  process.env[env.storageState] = researcherState;
  process.env[env.token] = token;
}

/** Saves what the hub printed into `outputDir/<name>`. */
export function saveHubLog(hub: IHub, outputDir: string, name: string): void {
  mkdirSync(outputDir, { recursive: true });
  writeFileSync(join(outputDir, name), hub.output());
}

/** Stops the hub, then fails if it left processes, sandboxes or its folder behind. */
export async function stopHub(hub: IHub): Promise<void> {
  await hub.stop();
  const left = await leftovers(hub.dir, hub.stateDir);
  if (left.length > 0) {
    throw new Error(`the stopped hub left behind: ${left.join('; ')}`);
  }
}
