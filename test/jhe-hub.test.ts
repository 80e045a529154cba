// Issue 5 inside a real JupyterHub: users sign in through the (dev) exchange, their JHE token stays in
// auth_state; in their server the real jupyterhealth-client reads synthetic data from the service's
// synthetic exchange, and the same notebook submitted from there runs on the real, decrypted study.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Browser } from './support/browser.js';
import { startHub, type IHub } from './support/hub.js';
import { startTestExchange, type ITestExchange } from './support/jhe.js';
import { runInUserServer } from './support/kernel.js';
import { repoRoot } from './support/service.js';

describe('JupyterHealth Exchange data inside JupyterHub', () => {
  let exchange: ITestExchange;
  let hub: IHub;
  let token: string;

  before(async () => {
    exchange = await startTestExchange(6, 120);
    hub = await startHub({ jhe: { url: exchange.url, partnerKeyset: exchange.partnerKeyset } });
  });
  after(async () => {
    await hub?.stop();
    await exchange?.stop();
  });

  it('signs the researcher in through the exchange; the hub keeps their JHE token for the service', async () => {
    const browser = new Browser();
    const form = await browser.fetch(`${hub.url}/hub/oauth_login`);
    assert.equal(form.status, 200);
    const html = await form.text();
    assert.match(html, /Development server/);
    assert.ok(browser.lastUrl.startsWith(exchange.url), browser.lastUrl);
    const hidden = Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(m => [
        m[1],
        m[2].replace(/&#(\d+);/g, (_s, c) => String.fromCharCode(Number(c)))
      ])
    );
    assert.ok(hidden.code_challenge, 'the hub uses PKCE');
    await browser.fetch(browser.lastUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...hidden, username: 'researcher', password: exchange.password })
    });
    assert.ok(browser.hops.includes('/hub/oauth_callback'), browser.hops.join(' → '));
    const user = await (await hub.hubApi('/users/researcher')).json();
    assert.equal(user.name, 'researcher');
    token = (await hub.tokenFor('researcher')).token;
    const me = await fetch(`${hub.serviceUrl}/api/v1/me`, {
      headers: { Authorization: `token ${token}` }
    });
    assert.equal((await me.json()).jhe_token, 'available');
    const studies = await fetch(`${hub.serviceUrl}/api/v1/studies`, {
      headers: { Authorization: `token ${token}` }
    });
    assert.deepEqual(
      (await studies.json()).studies.map((s: { id: string }) => s.id),
      ['30001', '30002']
    );
  });

  it("reads synthetic data in the user's server and runs the same notebook on the real study", async () => {
    const start = await hub.hubApi('/users/researcher/server', { method: 'POST' });
    assert.ok([201, 202, 400].includes(start.status), await start.text());
    for (let i = 0; i < 240; i++) {
      const user = await (await hub.hubApi('/users/researcher')).json();
      if (user.servers?.['']?.ready) {
        break;
      }
      await new Promise(r => setTimeout(r, 250));
    }
    const notebook = readFileSync(join(repoRoot, 'examples/jhe-heart-rate/analysis.ipynb'), 'utf8');
    const code = `
import json, os, pathlib, subprocess
from jupyterhealth_client import Code, JupyterHealthClient
df = JupyterHealthClient().list_observations_df(study_id=30001, code=Code.HEART_RATE, limit=None)
folder = pathlib.Path("jhe-heart-rate"); folder.mkdir(exist_ok=True)
(folder / "analysis.ipynb").write_text(${JSON.stringify(notebook)})
r = subprocess.run(["node", ${JSON.stringify(join(repoRoot, 'hub-service/bin/hbroker.js'))}, "submit", "jhe-heart-rate/analysis.ipynb",
                    "--study", "30001", "-o", "summary.csv", "--wait", "--json"], capture_output=True, text=True)
summary = folder / "sensitive-results"
found = sorted(summary.glob("*/summary.csv"))
print(json.dumps({"rows": len(df), "patients": int(df["subject_reference"].nunique()), "jhe_url": os.environ["JHE_URL"],
                  "code": r.returncode, "err": r.stderr[-2000:], "summary": found[0].read_text() if found else None}))
`;
    const out = await runInUserServer(`${hub.url}/user/researcher/`, token, code, 400000);
    const result = JSON.parse(out.trim().split('\n').pop()!);
    assert.match(result.jhe_url, /\/services\/hbroker\/jhe$/);
    // Synthetic: as many patients as the study has (6), 60 readings each by default; not the real 120.
    assert.equal(result.patients, 6);
    assert.equal(result.rows, 6 * 60);
    assert.equal(result.code, 0, result.err);
    assert.equal(result.summary, exchange.expectedBands(30001));
  });
});
