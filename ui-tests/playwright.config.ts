// Playwright config for the UI tests: Debian's Chromium, one worker, a real JupyterHub from the global setup.
import { defineConfig } from '@playwright/test';

const minute = 60_000;

export default defineConfig({
  testDir: 'tests',
  outputDir: 'test-results',
  globalSetup: './hub-setup.ts',
  // One hub, one user, one browser: tests share the user's server, so they run one at a time.
  workers: 1,
  fullyParallel: false,
  // Chromium aborts in-flight requests, even to loopback, with net::ERR_NETWORK_CHANGED whenever the
  // host's network interfaces change (Docker adds and removes them for builds and other suites'
  // containers). A second try absorbs that; a real failure fails both tries. Retried passes are
  // reported as flaky.
  retries: 1,
  forbidOnly: true,
  // The machine is small and shared, and a job builds and runs a container: be generous.
  timeout: 10 * minute,
  expect: { timeout: 2 * minute },
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1400, height: 900 },
    actionTimeout: minute,
    navigationTimeout: 3 * minute,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      // Never a downloaded browser (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1): the one Debian ships.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    }
  }
});
