// The dev exchange's OAuth/OIDC over HTTP, at JHE's paths: /o/ (discovery, JWKS, authorize, token,
// userinfo), /accounts/login/ and /api/v1/practitioner_clients.
import { parse } from 'cookie';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { practitionerKey, type IPractitionerClient } from './clients.js';
import { errorPage, loginPage } from './login-page.js';
import type { DevOAuth, IOAuthAnswer } from './oauth.js';

const sessionCookie = 'sessionid';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 65536) {
      throw new Error('request body too large');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, answer: IOAuthAnswer): void {
  const html = typeof answer.body === 'string';
  response.writeHead(answer.status, {
    'Content-Type': html ? 'text/html; charset=utf-8' : 'application/json',
    'Cache-Control': 'no-store',
    ...answer.headers
  });
  response.end(html ? answer.body : JSON.stringify(answer.body));
}

function redirect(response: ServerResponse, location: string, cookie?: string): void {
  response.writeHead(302, {
    Location: location,
    'Content-Type': 'text/html; charset=utf-8',
    ...(cookie ? { 'Set-Cookie': cookie } : {})
  });
  response.end();
}

/** OIDC discovery as JHE serves it; the issuer is `{exchange}/o`. */
export function openidConfiguration(base: string): object {
  const o = `${base.replace(/\/$/, '')}/o`;
  return {
    issuer: o,
    authorization_endpoint: `${o}/authorize/`,
    token_endpoint: `${o}/token/`,
    userinfo_endpoint: `${o}/userinfo/`,
    jwks_uri: `${o}/.well-known/jwks.json`,
    scopes_supported: ['openid', 'email'],
    response_types_supported: [
      'code',
      'token',
      'id_token',
      'id_token token',
      'code token',
      'code id_token',
      'code id_token token'
    ],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256', 'HS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    code_challenge_methods_supported: ['plain', 'S256'],
    claims_supported: ['sub'],
    prompt_values_supported: ['none', 'login'],
    client_id_metadata_document_supported: false
  };
}

const clientView = (c: IPractitionerClient) => ({
  id: c.id,
  label: c.label,
  created: c.created,
  name: c.name,
  key: practitionerKey(c)
});

/** Answers the request if it is one of the OAuth paths; false lets the REST/FHIR handlers answer. */
export async function serveOAuth(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  oauth: DevOAuth,
  base: string
): Promise<boolean> {
  const path = url.pathname;
  const method = request.method ?? 'GET';
  if (path === '/o/.well-known/openid-configuration') {
    send(response, { status: 200, body: openidConfiguration(base) });
  } else if (path === '/o/.well-known/jwks.json') {
    send(response, { status: 200, body: oauth.signer.jwks() });
  } else if (path === '/accounts/login/' && method === 'POST') {
    const form = new URLSearchParams(await readBody(request));
    const next = form.get('next') ?? '/';
    const user = oauth.login(form.get('username') ?? '', form.get('password') ?? '');
    if (!user) {
      send(response, { status: 200, body: loginPage(next, 'Wrong user name or password.') });
    } else {
      // Only back into this exchange, never an open redirect.
      const target = next.startsWith('/') && !next.startsWith('//') ? next : '/';
      const id = oauth.startSession(user);
      redirect(response, target, `${sessionCookie}=${id}; HttpOnly; Path=/; SameSite=Lax`);
    }
  } else if (path === '/accounts/login/') {
    send(response, { status: 200, body: loginPage(url.searchParams.get('next') ?? '/') });
  } else if (path === '/o/authorize/' || path === '/o/authorize') {
    const user = oauth.sessionUser(parse(request.headers.cookie ?? '')[sessionCookie]);
    if (!user) {
      // As Django's redirect_to_login: the authorize URL quoted, its slashes kept.
      const next = encodeURIComponent(path + url.search).replace(/%2F/g, '/');
      redirect(response, `/accounts/login/?next=${next}`);
      return true;
    }
    const result = oauth.authorize(user, url.searchParams);
    if ('redirect' in result) {
      redirect(response, result.redirect);
    } else {
      send(response, { status: result.status, body: errorPage(result.error) });
    }
  } else if ((path === '/o/token/' || path === '/o/token') && method === 'POST') {
    const form = new URLSearchParams(await readBody(request));
    send(response, await oauth.token(form, request.headers.authorization));
  } else if (path === '/o/userinfo/' || path === '/o/userinfo') {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    send(response, oauth.userinfo(token));
  } else if (/^\/api\/v1\/practitioner_clients(\/\d+)?$/.test(path)) {
    await practitionerClients(request, response, path, oauth);
  } else {
    return false;
  }
  return true;
}

/** JHE's practitioner API clients: a practitioner makes, lists and deletes their own, no admin step. */
async function practitionerClients(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  oauth: DevOAuth
): Promise<void> {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const owner = token ? oauth.userFor(token) : undefined;
  if (!owner) {
    send(response, {
      status: 401,
      headers: {
        'WWW-Authenticate': token
          ? 'Bearer realm="api",error="invalid_token",error_description="The access token is invalid."'
          : 'Bearer realm="api"'
      },
      body: { detail: 'Authentication credentials were not provided.' }
    });
    return;
  }
  const mine = oauth.clients.practitionerClientsOf(owner);
  const id = /\/(\d+)$/.exec(path)?.[1];
  if (id) {
    const client = mine.find(c => c.id === Number(id));
    if (!client || request.method !== 'DELETE') {
      send(response, {
        status: client ? 405 : 404,
        body: { detail: client ? 'Method not allowed.' : 'Not found.' }
      });
      return;
    }
    oauth.deleteClient(client);
    response.writeHead(204).end();
  } else if (request.method === 'POST') {
    let label = '';
    try {
      label = String(
        (JSON.parse((await readBody(request)) || '{}') as { label?: unknown }).label ?? ''
      );
    } catch {
      send(response, { status: 400, body: { detail: 'JSON parse error.' } });
      return;
    }
    send(response, {
      status: 201,
      body: clientView(oauth.clients.createPractitionerClient(owner, label))
    });
  } else {
    send(response, {
      status: 200,
      body: { count: mine.length, next: null, previous: null, results: mine.map(clientView) }
    });
  }
}
