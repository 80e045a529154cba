// The dev exchange's OAuth/OIDC against what the recording of a real JHE (v0.0.13) shows, file by file
// (oauth-NN in the recorded contract; values here are the recorded ones).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { generatePartnerKeysets, parseKeyset } from '../data/tink/index.js';
import { startDevExchange, type IDevExchange } from './index.js';

const password = 'dev-exchange-oauth-test';
const client = 'hub-client';
const callback = 'http://127.0.0.1:9/hub/oauth_callback';
const alnum30 = /^[A-Za-z0-9]{30}$/;

describe('the dev exchange signs users in as JHE does', () => {
  let jhe: IDevExchange;
  let session = '';
  const url = (path: string) => new URL(path, jhe.url);
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(url('o/token/'), { method: 'POST', headers, body: new URLSearchParams(fields) });
  const authorize = (query: Record<string, string>) =>
    fetch(
      url(
        `o/authorize/?${new URLSearchParams({ client_id: client, response_type: 'code', redirect_uri: callback, ...query })}`
      ),
      {
        headers: { Cookie: `sessionid=${session}` },
        redirect: 'manual'
      }
    );
  /** A code for the logged-in researcher, with an S256 challenge of a fresh verifier. */
  const code = async (scope = 'openid') => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const r = await authorize({
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope,
      state: 'st'
    });
    assert.equal(r.status, 302);
    const back = new URL(r.headers.get('location')!);
    assert.equal(back.searchParams.get('state'), 'st');
    return { code: back.searchParams.get('code')!, verifier };
  };
  const redeem = (c: { code: string; verifier?: string }) =>
    form({
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: callback,
      client_id: client,
      ...(c.verifier ? { code_verifier: c.verifier } : {})
    });
  const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

  before(async () => {
    jhe = await startDevExchange({
      host: '127.0.0.1',
      port: 0,
      password,
      partnerPublic: parseKeyset(generatePartnerKeysets().publicKeyset),
      patients: 2,
      perPatientPerCode: 3,
      seed: 'oauth',
      clients: [{ clientId: client, redirectUris: [callback] }]
    });
    const login = await fetch(url('accounts/login/'), {
      method: 'POST',
      body: new URLSearchParams({ username: 'researcher@example.org', password, next: '/' }),
      redirect: 'manual'
    });
    assert.equal(login.status, 302);
    session = /sessionid=([^;]+)/.exec(login.headers.get('set-cookie')!)![1];
  });
  after(() => jhe.close());

  it('publishes OIDC discovery and a JWKS at /o/.well-known/ (oauth-01, oauth-02)', async () => {
    const doc = await (await fetch(url('o/.well-known/openid-configuration'))).json();
    const o = `${jhe.url}o`;
    assert.equal(doc.issuer, o);
    assert.equal(doc.authorization_endpoint, `${o}/authorize/`);
    assert.equal(doc.token_endpoint, `${o}/token/`);
    assert.equal(doc.userinfo_endpoint, `${o}/userinfo/`);
    assert.equal(doc.jwks_uri, `${o}/.well-known/jwks.json`);
    assert.deepEqual(doc.claims_supported, ['sub']);
    assert.deepEqual(doc.code_challenge_methods_supported, ['plain', 'S256']);
    assert.deepEqual(doc.scopes_supported, ['openid', 'email']);
    const jwks = await (await fetch(doc.jwks_uri)).json();
    assert.deepEqual(Object.keys(jwks.keys[0]).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
    assert.equal(jwks.keys[0].alg, 'RS256');
  });

  it('sends a browser without a session to the login form, which says DEV ONLY (oauth-03)', async () => {
    const r = await fetch(url(`o/authorize/?client_id=${client}&response_type=code`), {
      redirect: 'manual'
    });
    assert.equal(r.status, 302);
    assert.match(
      r.headers.get('location')!,
      /^\/accounts\/login\/\?next=\/o\/authorize\/%3Fclient_id%3Dhub-client/
    );
    const next = new URL(r.headers.get('location')!, jhe.url);
    assert.equal(next.pathname, '/accounts/login/');
    assert.match(next.searchParams.get('next')!, /^\/o\/authorize\/\?client_id=hub-client/);
    const page = await (await fetch(next)).text();
    assert.match(page, /DEV ONLY/);
    assert.match(page, /name="next"/);
  });

  it('issues 14-day tokens and an RS256 id_token verifiable with the JWKS (oauth-05/06/08)', async () => {
    const r = await redeem(await code('openid email'));
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.deepEqual(Object.keys(body).sort(), [
      'access_token',
      'expires_in',
      'id_token',
      'refresh_token',
      'scope',
      'token_type'
    ]);
    assert.equal(body.expires_in, 1209600);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.scope, 'openid email');
    assert.match(body.access_token, alnum30);
    assert.match(body.refresh_token, alnum30);
    const jwks = createLocalJWKSet(await (await fetch(url('o/.well-known/jwks.json'))).json());
    const { payload, protectedHeader } = await jwtVerify(body.id_token, jwks, {
      issuer: `${jhe.url}o`,
      audience: client
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(protectedHeader.typ, 'JWT');
    const researcher = jhe.data.users.find(u => u.username === 'researcher')!;
    assert.equal(payload.sub, String(researcher.id));
    assert.equal(payload.email, 'researcher@example.org');
    assert.equal(payload.exp! - payload.iat!, 36000);
    const atHash = createHash('sha256').update(body.access_token).digest().subarray(0, 16);
    assert.equal(payload.at_hash, atHash.toString('base64url'));
  });

  it('answers userinfo with sub, and email only with that scope (oauth-07, oauth-09, oauth-32/33)', async () => {
    const openid = await (await redeem(await code('openid'))).json();
    const withEmail = await (await redeem(await code('openid email'))).json();
    const id = String(jhe.data.users.find(u => u.username === 'researcher')!.id);
    assert.deepEqual(await (await fetch(url('o/userinfo/'), bearer(openid.access_token))).json(), {
      sub: id
    });
    assert.deepEqual(
      await (await fetch(url('o/userinfo/'), bearer(withEmail.access_token))).json(),
      {
        sub: id,
        email: 'researcher@example.org'
      }
    );
    assert.equal(decodeProtectedHeader(openid.id_token).alg, 'RS256');
    for (const init of [{}, bearer('never-issued')]) {
      const r = await fetch(url('o/userinfo/'), init);
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(r.headers.get('www-authenticate')!, /^Bearer error="invalid_token"/);
      assert.equal(JSON.parse(await r.text()).error, 'invalid_token');
    }
  });

  it('requires PKCE; a wrong verifier leaves the code usable, a used code is spent (oauth-17..20b)', async () => {
    const none = await authorize({ state: 'st-0004' });
    assert.equal(none.status, 302);
    assert.equal(
      new URL(none.headers.get('location')!).search,
      '?error=invalid_request&error_description=Code+challenge+required.&state=st-0004'
    );
    const c = await code();
    const missing = await redeem({ code: c.code });
    assert.equal(missing.status, 400);
    assert.deepEqual(await missing.json(), {
      error: 'invalid_request',
      error_description: 'Code verifier required.'
    });
    const wrong = await redeem({ code: c.code, verifier: 'wrong-verifier-' + 'x'.repeat(40) });
    assert.equal(wrong.status, 400);
    assert.deepEqual(await wrong.json(), { error: 'invalid_grant' });
    assert.equal((await redeem(c)).status, 200);
    const reused = await redeem(c);
    assert.equal(reused.status, 400);
    assert.deepEqual(await reused.json(), { error: 'invalid_grant' });
    // plain is accepted too (oauth-17b, 17c).
    const plain = await authorize({
      code_challenge: 'p'.repeat(43),
      code_challenge_method: 'plain'
    });
    const plainCode = new URL(plain.headers.get('location')!).searchParams.get('code')!;
    assert.equal((await redeem({ code: plainCode, verifier: 'p'.repeat(43) })).status, 200);
  });

  it('never sends a code to an unregistered redirect URI (oauth-16)', async () => {
    const r = await authorize({
      redirect_uri: 'http://127.0.0.1:9999/hub/oauth_callback',
      code_challenge: 'x'.repeat(43)
    });
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('location'), null);
    const page = await r.text();
    assert.match(page, /Error: invalid_request Mismatching redirect URI\./);
    assert.match(page, /DEV ONLY/);
  });

  it('refuses the password grant and unknown clients (oauth-15, oauth-21)', async () => {
    const pw = await form({
      grant_type: 'password',
      username: 'researcher',
      password,
      client_id: client,
      scope: 'openid'
    });
    assert.equal(pw.status, 400);
    assert.deepEqual(await pw.json(), { error: 'unauthorized_client' });
    const unknown = await form({
      grant_type: 'authorization_code',
      code: 'x',
      redirect_uri: callback,
      client_id: 'no-such-client',
      code_verifier: 'x'
    });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.headers.get('www-authenticate'), 'Bearer error="invalid_client"');
    assert.deepEqual(await unknown.json(), { error: 'invalid_client' });
  });

  it('rotates on refresh: the old access token is revoked everywhere, the old refresh token spent (oauth-10..14, 34)', async () => {
    const first = await (await redeem(await code())).json();
    const r = await form({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: client
    });
    assert.equal(r.status, 200);
    const second = await r.json();
    assert.notEqual(second.access_token, first.access_token);
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.ok(second.id_token);
    assert.equal(second.expires_in, 1209600);
    const fhir = 'FHIR/R5/Observation?patient._has%3AGroup%3Amember%3A_id=30001&_count=1000';
    for (const path of ['api/v1/users/profile', fhir, 'o/userinfo/']) {
      assert.equal((await fetch(url(path), bearer(first.access_token))).status, 401, path);
    }
    assert.equal(
      (await fetch(url('api/v1/users/profile'), bearer(second.access_token))).status,
      200
    );
    const reused = await form({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: client
    });
    assert.equal(reused.status, 400);
    assert.deepEqual(await reused.json(), { error: 'invalid_grant' });
  });

  it('refuses an access token past its 14 days', async () => {
    const t = await (await redeem(await code())).json();
    jhe.oauth.expire(t.access_token);
    assert.equal((await fetch(url('api/v1/users/profile'), bearer(t.access_token))).status, 401);
  });

  it('gives practitioners client-credentials clients that act as them until deleted (oauth-22..31)', async () => {
    const own = await (await redeem(await code())).json();
    const created = await fetch(url('api/v1/practitioner_clients'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${own.access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ label: 'hbroker' })
    });
    assert.equal(created.status, 201);
    const made = await created.json();
    assert.equal(made.label, 'hbroker');
    const [id, secret] = Buffer.from(made.key, 'base64').toString().split(':');
    assert.match(id, /^[A-Za-z0-9]{16}$/);
    assert.match(secret, /^[A-Za-z0-9]{32}$/);
    const basic = await form(
      { grant_type: 'client_credentials' },
      { Authorization: `Basic ${made.key}` }
    );
    assert.equal(basic.status, 200);
    const cc = await basic.json();
    assert.deepEqual(Object.keys(cc).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
    assert.equal(cc.scope, 'openid email');
    const post = await form({
      grant_type: 'client_credentials',
      client_id: id,
      client_secret: secret
    });
    assert.equal(post.status, 200);
    const profile = await (
      await fetch(url('api/v1/users/profile'), bearer(cc.access_token))
    ).json();
    assert.equal(profile.email, 'researcher@example.org');
    assert.equal((await fetch(url('o/userinfo/'), bearer(cc.access_token))).status, 500);
    const wrong = await form(
      { grant_type: 'client_credentials' },
      { Authorization: `Basic ${Buffer.from(`${id}:WRONG`).toString('base64')}` }
    );
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { error: 'invalid_client' });
    // A practitioner client may not sign users in.
    assert.equal(
      (
        await form({
          grant_type: 'authorization_code',
          code: 'x',
          client_id: id,
          client_secret: secret
        })
      ).status,
      400
    );
    const list = await (
      await fetch(url('api/v1/practitioner_clients'), bearer(own.access_token))
    ).json();
    assert.deepEqual(
      list.results.map((c: { id: number }) => c.id),
      [made.id]
    );
    const gone = await fetch(url(`api/v1/practitioner_clients/${made.id}`), {
      method: 'DELETE',
      ...bearer(own.access_token)
    });
    assert.equal(gone.status, 204);
    assert.equal((await fetch(url('api/v1/users/profile'), bearer(cc.access_token))).status, 401);
  });
});
