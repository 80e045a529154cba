// How JupyterLab's extension reaches the service under a real JupyterHub: the first call signs the
// browser in through same-origin OAuth redirects (no consent page), and GET /me hands out the XSRF
// token, whose cookie JupyterLab's pages cannot read.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from './support/browser.js';
import { startHub, type IHub } from './support/hub.js';

/** What the extension's request layer sends on its first call (see labextension/src/request.ts). */
const firstCallAccept = 'text/html, application/json;q=0.9';

async function signIntoHub(browser: Browser, hub: IHub, user: string): Promise<void> {
  const page = await browser.fetch(`${hub.url}/hub/login`);
  const xsrf = /name="_xsrf" value="([^"]+)"/.exec(await page.text())?.[1];
  assert.ok(xsrf, 'the hub login form carries an XSRF token');
  const login = await browser.fetch(`${hub.url}/hub/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: user, password: hub.password, _xsrf: xsrf }),
    follow: false
  });
  assert.equal(login.status, 302, await login.text());
}

describe('the lab extension signing in to HBroker', () => {
  let hub: IHub;
  before(async () => {
    hub = await startHub();
  });
  after(async () => {
    await hub?.stop();
  });

  it('signs in on the first call without a consent page and gets the XSRF token from /me', async () => {
    const browser = new Browser();
    await signIntoHub(browser, hub, 'researcher');
    assert.equal(browser.cookie('hbroker-session'), undefined, 'no service cookie yet');

    const me = await browser.fetch(`${hub.serviceUrl}/api/v1/me`, {
      headers: { Accept: firstCallAccept }
    });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).user, 'researcher');
    assert.deepEqual(
      browser.hops.map(h => h.replace(/\/+$/, '')),
      [
        '/services/hbroker/oauth_login',
        '/hub/api/oauth2/authorize',
        '/services/hbroker/oauth_callback',
        '/services/hbroker/api/v1/me'
      ],
      'straight back to the API: the hub asks for no consent (oauth_no_confirm)'
    );
    const handed = me.headers.get('X-XSRFToken');
    assert.ok(handed, '/me hands a cookie-authenticated browser its XSRF token');
    assert.equal(handed, browser.cookie('_xsrf', '/services/hbroker/'));

    const cancel = (headers: Record<string, string>) =>
      browser.fetch(`${hub.serviceUrl}/api/v1/jobs/nope/cancel`, {
        method: 'POST',
        headers: { Accept: 'application/json', ...headers }
      });
    assert.equal((await cancel({})).status, 403, 'a write without the token is refused');
    assert.equal((await cancel({ 'X-XSRFToken': 'forged' })).status, 403);
    const accepted = await cancel({ 'X-XSRFToken': handed });
    assert.equal(accepted.status, 404, 'past the XSRF check, the job simply does not exist');
  });

  it('answers a script without a session in JSON, and hands no XSRF token to token callers', async () => {
    const anonymous = await fetch(`${hub.serviceUrl}/api/v1/me`, {
      headers: { Accept: 'application/json' }
    });
    assert.equal(anonymous.status, 401);
    assert.equal((await anonymous.json()).error.code, 'unauthenticated');

    const { token } = await hub.tokenFor('researcher');
    const me = await fetch(`${hub.serviceUrl}/api/v1/me`, {
      headers: { Authorization: `token ${token}` }
    });
    assert.equal(me.status, 200);
    assert.equal(me.headers.get('X-XSRFToken'), null, 'a token header needs no XSRF token');
  });
});
