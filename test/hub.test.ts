// HBroker as a JupyterHub managed service, against a real hub: OAuth, scopes, isolation, the shim's
// environment, and code in a user's server submitting with $JUPYTERHUB_API_TOKEN.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isTerminal } from '../hub-service/src/jobs/states.js';
import { Browser } from './support/browser.js';
import { startHub, type IHub } from './support/hub.js';
import { runInUserServer } from './support/kernel.js';
import { file, notebook, submission } from './support/notebook.js';
import { repoRoot } from './support/service.js';

/** Every file under a folder, read as bytes (for "this secret appears nowhere" checks). */
function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const path = join(dir, e.name);
    return e.isDirectory() ? allFiles(path) : statSync(path).isFile() ? [path] : [];
  });
}

describe('HBroker inside JupyterHub', () => {
  let hub: IHub;
  const tokens: Record<string, { id: string; token: string }> = {};
  const api = (who: string, path: string, init: RequestInit = {}) =>
    fetch(`${hub.serviceUrl}/api/v1${path}`, {
      ...init,
      headers: {
        Authorization: `token ${tokens[who].token}`,
        'Content-Type': 'application/json',
        ...(init.headers ?? {})
      }
    });
  const waitForJob = async (who: string, id: string) => {
    for (let i = 0; i < 600; i++) {
      const job = await (await api(who, `/jobs/${id}`)).json();
      if (isTerminal(job.state)) {
        return job;
      }
      await new Promise(r => setTimeout(r, 250));
    }
    throw new Error(`job ${id} did not finish`);
  };

  before(async () => {
    hub = await startHub();
    for (const user of ['researcher', 'researcher2', 'admin', 'outsider', 'checker1']) {
      tokens[user] = await hub.tokenFor(user);
    }
  });
  after(async () => {
    await hub?.stop();
  });

  it('signs a browser in through the hub OAuth flow, then makes an authenticated API call', async () => {
    const browser = new Browser();
    const loginPage = await browser.fetch(`${hub.url}/hub/login`);
    assert.equal(loginPage.status, 200);
    // As a browser submits the form: with the hidden _xsrf field the page carries.
    const xsrf = /name="_xsrf" value="([^"]+)"/.exec(await loginPage.text())?.[1];
    assert.ok(xsrf, 'the login form carries an XSRF token');
    const login = await browser.fetch(`${hub.url}/hub/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        username: 'researcher',
        password: hub.password,
        _xsrf: xsrf
      }),
      follow: false
    });
    assert.equal(login.status, 302, await login.text());

    const me = await browser.fetch(`${hub.serviceUrl}/api/v1/me`);
    assert.equal(me.status, 200);
    assert.deepEqual(
      browser.hops.map(h => h.replace(/\/+$/, '')),
      [
        '/services/hbroker/oauth_login',
        '/hub/api/oauth2/authorize',
        '/services/hbroker/oauth_callback',
        '/services/hbroker/api/v1/me'
      ]
    );
    const body = await me.json();
    assert.equal(body.user, 'researcher');
    assert.ok(
      body.scopes.includes('custom:hbroker:submit'),
      'the OAuth token carries the submit scope'
    );
    assert.equal(
      body.jhe_token,
      'available',
      'the service reads the JHE token from the hub auth_state'
    );
    assert.ok(
      browser.cookie('hbroker-session', '/services/hbroker/'),
      'a session cookie scoped to the service'
    );

    const write = (headers: Record<string, string>) =>
      browser.fetch(`${hub.serviceUrl}/api/v1/jobs/nope/cancel`, { method: 'POST', headers });
    const noXsrf = await write({});
    assert.equal(noXsrf.status, 403);
    assert.match((await noXsrf.json()).error.message, /XSRF/);
    const withXsrf = await write({ 'X-XSRFToken': browser.cookie('_xsrf', '/services/hbroker/')! });
    assert.equal(withXsrf.status, 404, 'past the XSRF check, the job simply does not exist');
  });

  it("runs hbroker submit from code in the user's server with $JUPYTERHUB_API_TOKEN", async () => {
    const start = await hub.hubApi('/users/researcher/server', { method: 'POST' });
    assert.ok([201, 202].includes(start.status), await start.text());
    for (let i = 0; i < 240; i++) {
      const user = await (await hub.hubApi('/users/researcher')).json();
      if (user.servers?.['']?.ready) {
        break;
      }
      await new Promise(r => setTimeout(r, 250));
    }
    // The study has three rows, so any statistic of it is withheld by vetting; its column names pass.
    const nb = notebook(
      'import pandas as pd, os\ndf = pd.read_csv(os.environ["HBROKER_DATA"] + "/heart_rate.csv")\npd.Series(df.columns, name="column").to_csv("summary.csv")'
    );
    const code = `
import json, os, pathlib, subprocess
folder = pathlib.Path("study-analysis"); folder.mkdir(exist_ok=True)
(folder / "analysis.ipynb").write_text(${JSON.stringify(nb)})
r = subprocess.run(["node", ${JSON.stringify(join(repoRoot, 'hub-service/bin/hbroker.js'))}, "submit", "study-analysis/analysis.ipynb",
                    "--study", "demo", "-o", "summary.csv", "--wait", "--json"], capture_output=True, text=True)
print(json.dumps({"code": r.returncode, "out": r.stdout.splitlines()[-1] if r.stdout else "", "err": r.stderr[-2000:],
                  "env": {k: os.environ.get(k) for k in ["HBROKER_URL", "JHE_URL"]},
                  "has_api_token": bool(os.environ.get("JUPYTERHUB_API_TOKEN")),
                  "jhe_token_is_hub_token": os.environ.get("JHE_TOKEN") == os.environ.get("JUPYTERHUB_API_TOKEN"),
                  "holds_jhe_token": ${JSON.stringify(`jhe-access-researcher-${hub.jheSecret}`)} in os.environ.values()}))
`;
    const out = await runInUserServer(`${hub.url}/user/researcher/`, tokens.researcher.token, code);
    const result = JSON.parse(out.trim().split('\n').pop()!);
    assert.equal(result.code, 0, `${result.err}\n${out}`);
    const job = JSON.parse(result.out);
    assert.equal(job.state, 'released');
    assert.equal(job.owner, 'researcher');
    assert.deepEqual(job.downloaded.map((p: string) => p.split('/').pop()).sort(), [
      'analysis.ipynb',
      'summary.csv'
    ]);
    assert.ok(result.has_api_token);
    assert.equal(
      result.jhe_token_is_hub_token,
      true,
      "JHE_TOKEN is the server's hub token, which the synthetic exchange takes"
    );
    assert.equal(result.holds_jhe_token, false, "the user's JHE token never enters their server");
    assert.match(result.env.HBROKER_URL, /^http:\/\/127\.0\.0\.1:\d+\/services\/hbroker$/);
    assert.equal(result.env.JHE_URL, `${result.env.HBROKER_URL}/jhe`);
  });

  it('keeps each researcher to their own jobs; admins see all; no submit scope means 403', async () => {
    const body = await submission([file('analysis.ipynb', notebook('print(1)'))]);
    const created = await api('researcher', '/jobs', {
      method: 'POST',
      body: JSON.stringify(body)
    });
    assert.equal(created.status, 201);
    const { id } = await created.json();
    const job = await waitForJob('researcher', id);
    assert.equal(job.state, 'released');

    const list = await (await api('researcher2', '/jobs')).json();
    assert.ok(
      !list.jobs.some((j: { id: string }) => j.id === id),
      'not in the second researcher’s list'
    );
    for (const [path, method] of [
      [`/jobs/${id}`, 'GET'],
      [`/jobs/${id}/events`, 'GET'],
      [`/jobs/${id}/cancel`, 'POST'],
      [`/jobs/${id}/outputs`, 'GET'],
      [`/jobs/${id}/outputs/analysis.ipynb`, 'GET']
    ]) {
      const r = await api('researcher2', path, { method });
      assert.equal(r.status, 404, `${method} ${path} by researcher2`);
    }
    const own = await api('researcher', `/jobs/${id}/outputs/analysis.ipynb`);
    assert.equal(own.status, 200);

    const all = await (await api('admin', '/jobs')).json();
    assert.ok(
      all.jobs.some((j: { id: string }) => j.id === id),
      'an admin sees every job'
    );
    assert.equal((await api('admin', `/jobs/${id}`)).status, 200);

    const refused = await api('outsider', '/jobs', { method: 'POST', body: JSON.stringify(body) });
    assert.equal(refused.status, 403);
    assert.match(
      (await refused.json()).error.message,
      /outsider lacks the scope custom:hbroker:submit/
    );
    const checker = await api('checker1', '/jobs', { method: 'POST', body: JSON.stringify(body) });
    assert.equal(checker.status, 403, 'a reviewer does not submit');
  });

  it('stops accepting a revoked token within the cache time', async () => {
    const { id, token } = await hub.tokenFor('researcher2');
    const call = () =>
      fetch(`${hub.serviceUrl}/api/v1/jobs`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal((await call()).status, 200);
    const revoked = await hub.hubApi(`/users/researcher2/tokens/${id}`, { method: 'DELETE' });
    assert.equal(revoked.status, 204);
    await new Promise(r => setTimeout(r, 1500)); // auth.cache_seconds is 1 in this hub's config
    const after = await call();
    assert.equal(after.status, 401);
  });

  it('never writes a token into a log line, the archive or a sandbox', async () => {
    const nb = notebook('import json, os\njson.dump(dict(os.environ), open("env.json", "w"))');
    const created = await api('researcher', '/jobs', {
      method: 'POST',
      body: JSON.stringify(
        await submission([file('analysis.ipynb', nb)], { outputs: ['env.json'] })
      )
    });
    const job = await waitForJob('researcher', (await created.json()).id);
    assert.equal(job.state, 'released');
    const sandboxEnv = await (await api('researcher', `/jobs/${job.id}/outputs/env.json`)).json();
    assert.deepEqual(
      Object.keys(sandboxEnv).filter(k => /TOKEN|JUPYTERHUB|JHE/.test(k)),
      []
    );

    const secrets = [
      `jhe-access-researcher-${hub.jheSecret}`,
      ...Object.values(tokens).map(t => t.token)
    ];
    const logs = hub.output();
    assert.match(logs, /hbroker listening/, 'the service did log');
    for (const secret of secrets) {
      assert.ok(!logs.includes(secret), 'no token in any log line');
      assert.ok(!JSON.stringify(sandboxEnv).includes(secret), 'no token in the sandbox');
      for (const path of allFiles(join(hub.stateDir, 'archive'))) {
        assert.ok(!readFileSync(path).includes(secret), `no token in ${path}`);
      }
    }
  });
});
