// Issue 5 inside a real JupyterHub: users sign in through the (dev) exchange, their JHE token stays in
// auth_state (and is refreshed there, with JHE's rotation); in their server the real jupyterhealth-client
// reads synthetic data from the service's synthetic exchange with the server's hub token, and the same
// notebook submitted from there runs on the real, decrypted study with the refreshed JHE token.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Browser } from './support/browser.js';
import { startHub, type IHub } from './support/hub.js';
import { startTestExchange, type ITestExchange } from './support/jhe.js';
import { runInUserServer } from './support/kernel.js';
import { repoRoot } from './support/service.js';

const researcher = 'researcher@example.org';
const userPath = `/users/${encodeURIComponent(researcher)}`;

describe('JupyterHealth Exchange data inside JupyterHub', () => {
  let exchange: ITestExchange;
  let hub: IHub;
  let token: string;

  before(async () => {
    exchange = await startTestExchange(6, 120);
    hub = await startHub({
      jhe: {
        url: exchange.url,
        partnerKeyset: exchange.partnerKeyset,
        registerClient: exchange.registerClient,
        authRefreshAge: 1
      }
    });
  });
  after(async () => {
    await hub?.stop();
    await exchange?.stop();
  });

  const authState = async () =>
    (await (await hub.hubApi(userPath)).json()).auth_state as Record<string, string> | null;

  it('signs the researcher in through the exchange (PKCE, name from email); the hub keeps their JHE token', async () => {
    const browser = new Browser();
    const form = await browser.fetch(`${hub.url}/hub/oauth_login`);
    assert.equal(form.status, 200);
    const html = await form.text();
    assert.match(html, /Development server \(DEV ONLY\)/);
    assert.ok(browser.lastUrl.startsWith(`${exchange.url}accounts/login/`), browser.lastUrl);
    const next = /<input type="hidden" name="next" value="([^"]*)">/
      .exec(html)![1]
      .replace(/&#(\d+);/g, (_s, c) => String.fromCharCode(Number(c)));
    const authorize = new URL(next, exchange.url).searchParams;
    assert.equal(authorize.get('code_challenge_method'), 'S256', 'the hub uses PKCE');
    assert.equal(authorize.get('scope'), 'openid email');
    await browser.fetch(`${exchange.url}accounts/login/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ next, username: 'researcher', password: exchange.password })
    });
    assert.ok(browser.hops.includes('/hub/oauth_callback'), browser.hops.join(' → '));
    const user = await (await hub.hubApi(userPath)).json();
    assert.equal(user.name, researcher);
    const state = await authState();
    assert.ok(state?.access_token && state.refresh_token, 'auth_state holds the JHE tokens');
    token = (await hub.tokenFor(researcher)).token;
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

  it("keeps the server's JHE_TOKEN working after the hub refreshes the JHE token (rotation)", async () => {
    const start = await hub.hubApi(`${userPath}/server`, { method: 'POST' });
    assert.ok([201, 202, 400].includes(start.status), await start.text());
    for (let i = 0; i < 240; i++) {
      const user = await (await hub.hubApi(userPath)).json();
      if (user.servers?.['']?.ready) {
        break;
      }
      await new Promise(r => setTimeout(r, 250));
    }
    const before = (await authState())!;
    // Fourteen days later: JHE no longer takes the access token the user signed in with.
    exchange.jhe.oauth.expire(before.access_token);
    await new Promise(r => setTimeout(r, 1500));
    const code = `
import json, os
from jupyterhealth_client import JupyterHealthClient
client = JupyterHealthClient()
print(json.dumps({"studies": sorted(s["id"] for s in client.list_studies()),
                  "jhe_token_is_hub_token": os.environ["JHE_TOKEN"] == os.environ["JUPYTERHUB_API_TOKEN"]}))
`;
    const out = await runInUserServer(`${hub.url}/user/${researcher}/`, token, code, 120000);
    const result = JSON.parse(out.trim().split('\n').pop()!);
    assert.deepEqual(result.studies, [30001, 30002]);
    assert.equal(
      result.jhe_token_is_hub_token,
      true,
      'the server holds its hub token, not a JHE token'
    );
    const after = (await authState())!;
    assert.notEqual(after.access_token, before.access_token, 'the hub refreshed the JHE token');
    assert.notEqual(
      after.refresh_token,
      before.refresh_token,
      'and kept the rotated refresh token'
    );
    const old = await fetch(`${exchange.url}api/v1/users/profile`, {
      headers: { Authorization: `Bearer ${before.access_token}` }
    });
    assert.equal(old.status, 401, 'the exchange refuses the old access token');
  });

  it("reads synthetic data in the user's server and runs the same notebook on the real study", async () => {
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
    const out = await runInUserServer(`${hub.url}/user/${researcher}/`, token, code, 400000);
    const result = JSON.parse(out.trim().split('\n').pop()!);
    assert.match(result.jhe_url, /\/services\/hbroker\/jhe$/);
    // Synthetic: as many patients as the study has (6), 60 readings each by default; not the real 120.
    assert.equal(result.patients, 6);
    assert.equal(result.rows, 6 * 60);
    assert.equal(result.code, 0, result.err);
    assert.equal(result.summary, exchange.expectedBands(30001));
  });
});
