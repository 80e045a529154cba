// Global setup for the UI tests: a real JupyterHub with HBroker (release policy auto), the researcher's
// notebook folder, and a browser session logged in through the hub's login form; returns the teardown.
import { chromium, type FullConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHub } from '../test/support/hub.js';
import { repoRoot } from '../test/support/service.js';
import { leftovers } from './support/leftovers.js';
import { env, researcher } from './support/session.js';

/** Where JupyterLab keeps Galata's in-page helper extension (it exposes `window.galata`). */
function galataExtensionDir(): string {
  return execFileSync(
    join(repoRoot, '.venv/bin/python'),
    ['-c', 'import jupyterlab.galata, os; print(os.path.dirname(jupyterlab.galata.__file__))'],
    { encoding: 'utf8' }
  ).trim();
}

export default async function hubSetup(config: FullConfig): Promise<() => Promise<void>> {
  const hub = await startHub({
    // Released without an output checker when every automatic check passes: what the tests expect.
    releasePolicy: 'auto',
    studiesDir: join(repoRoot, 'examples/studies'),
    // Test-only JupyterLab options: Galata drives the app through window.jupyterapp and its helper
    // extension. The server keeps its hub authentication and XSRF checks.
    serverArgs: [
      '--LabApp.expose_app_in_browser=True',
      `--LabServerApp.extra_labextensions_path=${galataExtensionDir()}`
    ]
  });
  const outputDir = join(dirname(fileURLToPath(import.meta.url)), 'test-results');
  const saveHubLog = () => {
    mkdirSync(outputDir, { recursive: true });
    writeFileSync(join(outputDir, 'hub.log'), hub.output());
  };
  try {
    // The researcher's notebook folder, as they would have it in their home: the example analysis.
    const home = join(hub.dir, 'home', researcher);
    cpSync(join(repoRoot, 'examples/heart-rate'), join(home, 'heart-rate'), { recursive: true });

    const storageState = join(hub.dir, 'browser-state.json');
    const browser = await chromium.launch(config.projects[0].use.launchOptions);
    try {
      const page = await browser.newPage();
      await page.goto(`${hub.url}/hub/login`);
      await page.locator('input[name="username"]').fill(researcher);
      await page.locator('input[name="password"]').fill(hub.password);
      await page.locator('input[type="submit"], button[type="submit"]').first().click();
      // Logging in spawns the user's server; the hub then sends the browser on to JupyterLab.
      await page.waitForURL(new RegExp(`/user/${researcher}/lab`), { timeout: 180_000 });
      await page.context().storageState({ path: storageState });
    } finally {
      await browser.close();
    }

    const { token } = await hub.tokenFor(researcher);
    process.env[env.hubUrl] = hub.url;
    process.env[env.storageState] = storageState;
    process.env[env.token] = token;
  } catch (e) {
    saveHubLog();
    await hub.stop();
    throw e;
  }
  return async () => {
    saveHubLog();
    await hub.stop();
    const left = await leftovers(hub.dir, hub.stateDir);
    if (left.length > 0) {
      throw new Error(`the stopped hub left behind: ${left.join('; ')}`);
    }
  };
}
