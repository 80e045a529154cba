// The dev exchange's OAuth 2 / OIDC grants, as JHE (django-oauth-toolkit) answers them: authorization code
// with PKCE required, refresh with rotation that revokes the previous access token, client credentials for
// practitioner clients, no password grant, 14-day access tokens, RS256 id_tokens.
import { createHash } from 'node:crypto';
import {
  DevClients,
  randomAlphanumeric,
  sameSecret,
  type IDevClient,
  type ISignInClient
} from './clients.js';
import type { IdTokenSigner } from './id-token.js';
import type { IDevUser } from './seed.js';

export interface ITokenResponse {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

export interface IOAuthAnswer {
  status: number;
  headers?: Record<string, string>;
  /** JSON, or text sent as text/html (as JHE sends userinfo's 401 and its error pages). */
  body: object | string;
}

interface IAccess {
  user: IDevUser;
  client: IDevClient;
  scope: string[];
  expires: number;
  refresh?: string;
  authTime: number;
}

interface IPendingCode {
  user: IDevUser;
  client: ISignInClient;
  redirectUri: string;
  challenge: string;
  method: 'plain' | 'S256';
  scope: string[];
  expires: number;
  authTime: number;
}

/** JHE's access-token lifetime: 14 days. */
export const accessTokenSeconds = 1209600;
const supportedScopes = ['openid', 'email'];
const codeSeconds = 60;

const error = (
  status: number,
  body: object | string,
  headers?: Record<string, string>
): IOAuthAnswer => ({
  status,
  body,
  ...(headers ? { headers } : {})
});
const invalidClient = () =>
  error(401, { error: 'invalid_client' }, { 'WWW-Authenticate': 'Bearer error="invalid_client"' });

/** The scopes granted for a request: the supported ones asked for, or all of them (DOT's default). */
export function grantedScope(requested: string | null): string[] {
  const asked = (requested ?? '').split(/\s+/).filter(Boolean);
  const granted = supportedScopes.filter(s => asked.includes(s));
  return asked.length === 0 ? [...supportedScopes] : granted;
}

export class DevOAuth {
  readonly clients = new DevClients();
  private access = new Map<string, IAccess>();
  private refresh = new Map<string, string>();
  private codes = new Map<string, IPendingCode>();
  private sessions = new Map<string, IDevUser>();
  /** The issuer, `{exchange}/o` without a trailing slash; set once the server listens. */
  issuer = '';

  constructor(
    private users: IDevUser[],
    private password: string,
    readonly signer: IdTokenSigner
  ) {}

  /** The user a name or email and the demo password belong to. */
  login(name: string, password: string): IDevUser | undefined {
    const user = this.users.find(u => u.username === name || u.email === name);
    return user && sameSecret(password, this.password) ? user : undefined;
  }

  /** A browser session (the `sessionid` cookie) after the login form. */
  startSession(user: IDevUser): string {
    const id = randomAlphanumeric(32);
    this.sessions.set(id, user);
    return id;
  }

  sessionUser(id: string | undefined): IDevUser | undefined {
    return id ? this.sessions.get(id) : undefined;
  }

  /** The user an unexpired, unrevoked access token acts for (a practitioner client's owner). */
  userFor(accessToken: string): IDevUser | undefined {
    return this.grantOf(accessToken)?.user;
  }

  grantOf(accessToken: string): Omit<IAccess, 'refresh'> | undefined {
    const grant = this.access.get(accessToken);
    if (!grant || grant.expires <= Date.now()) {
      return undefined;
    }
    if (grant.client.kind === 'practitioner' && !this.clients.get(grant.client.clientId)) {
      return undefined;
    }
    return grant;
  }

  /** Tests: an access token past its 14 days, as a long-running hub will see it. */
  expire(accessToken: string): void {
    const grant = this.access.get(accessToken);
    if (grant) {
      grant.expires = Date.now() - 1;
    }
  }

  /** Deleting a practitioner client ends its tokens (JHE deletes the application). */
  deleteClient(client: IDevClient): void {
    this.clients.delete(client);
    for (const [token, grant] of this.access) {
      if (grant.client.clientId === client.clientId) {
        this.access.delete(token);
      }
    }
  }

  /** GET /o/authorize/ for a logged-in browser: where to send it next (a redirect), or an HTML error. */
  authorize(
    user: IDevUser,
    params: URLSearchParams
  ): { redirect: string } | { status: number; error: string } {
    const client = this.clients.get(params.get('client_id') ?? '');
    if (!client || client.kind !== 'sign-in') {
      return { status: 400, error: 'Error: invalid_client Invalid client_id parameter value.' };
    }
    const redirectUri = params.get('redirect_uri') ?? client.redirectUris[0];
    if (!client.redirectUris.includes(redirectUri)) {
      // Never a redirect to an address the client did not register.
      return { status: 400, error: 'Error: invalid_request Mismatching redirect URI.' };
    }
    const back = new URL(redirectUri);
    const state = params.get('state');
    const reply = (values: Record<string, string>) => {
      for (const [k, v] of Object.entries({ ...values, ...(state ? { state } : {}) })) {
        back.searchParams.set(k, v);
      }
      return { redirect: back.toString() };
    };
    if (params.get('response_type') !== 'code') {
      return reply({ error: 'unsupported_response_type' });
    }
    const challenge = params.get('code_challenge');
    if (!challenge) {
      return reply({ error: 'invalid_request', error_description: 'Code challenge required.' });
    }
    const method = params.get('code_challenge_method') ?? 'plain';
    if (method !== 'plain' && method !== 'S256') {
      return reply({
        error: 'invalid_request',
        error_description: 'Transform algorithm not supported.'
      });
    }
    const code = randomAlphanumeric(30);
    this.codes.set(code, {
      user,
      client,
      redirectUri,
      challenge,
      method,
      scope: grantedScope(params.get('scope')),
      expires: Date.now() + codeSeconds * 1000,
      authTime: Math.floor(Date.now() / 1000)
    });
    return reply({ code });
  }

  /** The client a token request authenticates as: HTTP Basic, else client_id (+ client_secret) in the form. */
  private clientOf(form: URLSearchParams, authorization: string | undefined) {
    let id = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? undefined;
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (basic) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      id = decodeURIComponent(colon < 0 ? decoded : decoded.slice(0, colon));
      secret = colon < 0 ? '' : decodeURIComponent(decoded.slice(colon + 1));
    }
    const client = this.clients.get(id);
    if (!client) {
      return undefined;
    }
    // A public client has no secret to check; a confidential one must present its own.
    if (client.kind === 'practitioner' && !sameSecret(secret ?? '', client.clientSecret)) {
      return undefined;
    }
    return client;
  }

  /** POST /o/token/ */
  async token(form: URLSearchParams, authorization?: string): Promise<IOAuthAnswer> {
    const client = this.clientOf(form, authorization);
    if (!client) {
      return invalidClient();
    }
    const grant = form.get('grant_type');
    const allowed =
      client.kind === 'sign-in' ? ['authorization_code', 'refresh_token'] : ['client_credentials'];
    if (
      !grant ||
      !['authorization_code', 'refresh_token', 'client_credentials', 'password'].includes(grant)
    ) {
      return error(400, { error: 'unsupported_grant_type' });
    }
    if (!allowed.includes(grant)) {
      return error(400, { error: 'unauthorized_client' });
    }
    if (grant === 'client_credentials' && client.kind === 'practitioner') {
      return { status: 200, body: await this.issue(client.owner, client, supportedScopes, false) };
    }
    if (grant === 'authorization_code') {
      return this.redeem(form, client as ISignInClient);
    }
    return this.rotate(form.get('refresh_token') ?? '', client);
  }

  private async redeem(form: URLSearchParams, client: ISignInClient): Promise<IOAuthAnswer> {
    const code = form.get('code') ?? '';
    const pending = this.codes.get(code);
    if (
      !pending ||
      pending.expires < Date.now() ||
      pending.client.clientId !== client.clientId ||
      form.get('redirect_uri') !== pending.redirectUri
    ) {
      return error(400, { error: 'invalid_grant' });
    }
    const verifier = form.get('code_verifier');
    if (!verifier) {
      return error(400, { error: 'invalid_request', error_description: 'Code verifier required.' });
    }
    const expected =
      pending.method === 'S256'
        ? createHash('sha256').update(verifier).digest('base64url')
        : verifier;
    // As JHE: a wrong verifier leaves the code redeemable; only success uses it up.
    if (!sameSecret(expected, pending.challenge)) {
      return error(400, { error: 'invalid_grant' });
    }
    this.codes.delete(code);
    return {
      status: 200,
      body: await this.issue(pending.user, client, pending.scope, true, pending.authTime)
    };
  }

  /** The refresh grant: a new pair; the old refresh token is spent and the old access token revoked. */
  private async rotate(refreshToken: string, client: IDevClient): Promise<IOAuthAnswer> {
    const previous = this.refresh.get(refreshToken);
    const grant = previous ? this.access.get(previous) : undefined;
    if (!previous || !grant || grant.client.clientId !== client.clientId) {
      return error(400, { error: 'invalid_grant' });
    }
    this.refresh.delete(refreshToken);
    this.access.delete(previous);
    return {
      status: 200,
      body: await this.issue(grant.user, client, grant.scope, true, grant.authTime)
    };
  }

  private async issue(
    user: IDevUser,
    client: IDevClient,
    scope: string[],
    withRefresh: boolean,
    authTime = Math.floor(Date.now() / 1000)
  ): Promise<ITokenResponse> {
    const accessToken = randomAlphanumeric(30);
    const refreshToken = withRefresh ? randomAlphanumeric(30) : undefined;
    this.access.set(accessToken, {
      user,
      client,
      scope,
      expires: Date.now() + accessTokenSeconds * 1000,
      refresh: refreshToken,
      authTime
    });
    const response: ITokenResponse = {
      access_token: accessToken,
      expires_in: accessTokenSeconds,
      token_type: 'Bearer',
      scope: scope.join(' ')
    };
    if (refreshToken) {
      this.refresh.set(refreshToken, accessToken);
      response.refresh_token = refreshToken;
    }
    if (withRefresh && scope.includes('openid')) {
      response.id_token = await this.signer.sign({
        issuer: this.issuer,
        clientId: client.clientId,
        subject: String(user.id),
        accessToken,
        authTime,
        email: scope.includes('email') ? user.email : undefined
      });
    }
    return response;
  }

  /** GET /o/userinfo/: `sub`, and `email` with that scope; nothing else. */
  userinfo(accessToken: string): IOAuthAnswer {
    const grant = this.grantOf(accessToken);
    if (!grant) {
      const description =
        'The access token provided is expired, revoked, malformed, or invalid for other reasons.';
      // JSON text under text/html, exactly as JHE answers.
      return error(
        401,
        JSON.stringify({ error: 'invalid_token', error_description: description }),
        { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"` }
      );
    }
    if (grant.client.kind === 'practitioner') {
      // JHE fails here (500) for a client-credentials token: it has no resource owner.
      return error(
        500,
        '<h1>Server Error (500)</h1><p>DEV ONLY exchange: userinfo needs a user.</p>'
      );
    }
    return {
      status: 200,
      body: {
        sub: String(grant.user.id),
        ...(grant.scope.includes('email') ? { email: grant.user.email } : {})
      }
    };
  }
}
