// JupyterHub authentication: hub tokens checked against the hub (cached briefly) and the hub's OAuth
// authorization-code flow with PKCE for browsers, ending in a sealed, HttpOnly, path-scoped cookie.
import { parse } from 'cookie';
import express, { type Request, type Response, type Router } from 'express';
import { createHash, randomBytes } from 'node:crypto';
import { HBrokerError } from '../../errors.js';
import { sendError } from '../errors.js';
import { bearerToken, type IAuthenticator, type IIdentity } from '../auth.js';
import { scopes } from '../scopes.js';
import { HubClient } from './client.js';
import { CookieSealer } from './session.js';
import type { IHubSettings } from './settings.js';

export { HubClient } from './client.js';
export { hubSettingsFromEnv, type IHubSettings } from './settings.js';

const sessionCookie = 'hbroker-session';
const stateCookie = 'hbroker-oauth-state';
export const xsrfCookie = '_xsrf';
const sessionSeconds = 8 * 3600;
const maxCached = 10000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const random = () => randomBytes(32).toString('base64url');

export class HubAuthenticator implements IAuthenticator {
  private cache = new Map<string, { identity: IIdentity | undefined; until: number }>();
  private sealer: CookieSealer;

  constructor(
    private settings: IHubSettings,
    private client: HubClient,
    private cacheSeconds: number
  ) {
    this.sealer = new CookieSealer(settings.apiToken);
  }

  async authenticate(request: Request): Promise<IIdentity | undefined> {
    const header = bearerToken(request);
    if (header) {
      return this.identify(header, 'token');
    }
    const session = this.sealer.unseal<{ token: string }>(
      parse(request.headers.cookie ?? '')[sessionCookie]
    );
    return session ? this.identify(session.token, 'cookie') : undefined;
  }

  /** As JupyterHub's own HubAuth: a token without access to this service is refused, saying so. */
  private checkAccess(identity: IIdentity): IIdentity {
    const access = `access:services!service=${this.settings.serviceName}`;
    if (!identity.scopes.has(access) && !identity.scopes.has('access:services')) {
      throw new HBrokerError(
        'missing_scope',
        `${identity.user} lacks the scope ${access}, which is needed to use HBroker at all. Ask a JupyterHub admin to grant it.`,
        403
      );
    }
    return identity;
  }

  /** Asks the hub who owns the token; answers (also "nobody") are kept for cache_seconds only. */
  private async identify(token: string, via: IIdentity['via']): Promise<IIdentity | undefined> {
    const key = sha256(token);
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) {
      return hit.identity && this.checkAccess({ ...hit.identity, via });
    }
    const user = await this.client.whoIs(token);
    const granted = new Set(user?.scopes ?? []);
    const identity = user && {
      user: user.name,
      admin: granted.has(scopes.admin),
      scopes: granted,
      via
    };
    if (this.cache.size >= maxCached) {
      this.cache.clear();
    }
    this.cache.set(key, { identity, until: now + this.cacheSeconds * 1000 });
    return identity && this.checkAccess(identity);
  }

  /** The hub user a bearer token belongs to, if it may use this service (for the synthetic exchange). */
  async userOfToken(token: string): Promise<string | undefined> {
    try {
      return (await this.identify(token, 'token'))?.user;
    } catch (e) {
      if (e instanceof HBrokerError && e.code === 'missing_scope') {
        return undefined;
      }
      throw e;
    }
  }

  loginUrl(request: Request): string {
    return `${this.settings.prefix}oauth_login?next=${encodeURIComponent(request.originalUrl)}`;
  }

  private cookieOptions(request: Request, maxAgeSeconds: number, httpOnly = true) {
    return {
      httpOnly,
      secure: request.secure,
      sameSite: 'lax' as const,
      path: this.settings.prefix,
      maxAge: maxAgeSeconds * 1000
    };
  }

  xsrfToken(request: Request, response: Response): string {
    let token = parse(request.headers.cookie ?? '')[xsrfCookie];
    if (!token) {
      token = random();
      response.cookie(xsrfCookie, token, this.cookieOptions(request, sessionSeconds, false));
    }
    return token;
  }

  routes(): Router {
    const router = express.Router();
    const callbackPath = new URL(this.settings.callbackUrl, 'http://hub.invalid').pathname;
    const relativeCallback = callbackPath.startsWith(this.settings.prefix)
      ? `/${callbackPath.slice(this.settings.prefix.length)}`
      : '/oauth_callback';

    router.get('/oauth_login', (request, response) => {
      const state = random();
      const verifier = random();
      const next = String(request.query.next ?? this.settings.prefix);
      response.cookie(
        stateCookie,
        this.sealer.seal({ state, verifier, next }, 600),
        this.cookieOptions(request, 600)
      );
      const url = new URLSearchParams({
        client_id: this.settings.clientId,
        redirect_uri: this.settings.callbackUrl,
        response_type: 'code',
        state,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256'
      });
      response.redirect(302, `${this.settings.authorizeUrl}?${url}`);
    });

    router.get(relativeCallback, async (request: Request, response: Response, next) => {
      try {
        const pending = this.sealer.unseal<{ state: string; verifier: string; next: string }>(
          parse(request.headers.cookie ?? '')[stateCookie]
        );
        response.clearCookie(stateCookie, { path: this.settings.prefix });
        if (!pending || !request.query.code || request.query.state !== pending.state) {
          sendError(
            response,
            400,
            'oauth_state',
            'This sign-in link is stale or was not started here. Open HBroker again to sign in.'
          );
          return;
        }
        const token = await this.client.exchangeCode(String(request.query.code), pending.verifier);
        if (!token) {
          sendError(
            response,
            403,
            'oauth_refused',
            'JupyterHub did not accept this sign-in. Open HBroker again to sign in.'
          );
          return;
        }
        response.cookie(
          sessionCookie,
          this.sealer.seal({ token }, sessionSeconds),
          this.cookieOptions(request, sessionSeconds)
        );
        if (!parse(request.headers.cookie ?? '')[xsrfCookie]) {
          response.cookie(xsrfCookie, random(), this.cookieOptions(request, sessionSeconds, false));
        }
        // Only back into this service: never an open redirect.
        const target =
          pending.next.startsWith(this.settings.prefix) && !pending.next.startsWith('//')
            ? pending.next
            : this.settings.prefix;
        response.redirect(302, target);
      } catch (e) {
        next(e);
      }
    });

    router.get('/logout', (_request, response) => {
      response.clearCookie(sessionCookie, { path: this.settings.prefix });
      response.redirect(302, this.settings.prefix);
    });
    return router;
  }
}

/** Reads a user's JHE access token from the hub's auth_state when a stage needs it; never stored here. */
export class HubJheTokens {
  constructor(private client: HubClient) {}

  async get(user: string): Promise<string | undefined> {
    const state = await this.client.authState(user);
    const token = state?.access_token;
    return typeof token === 'string' && token ? token : undefined;
  }
}
