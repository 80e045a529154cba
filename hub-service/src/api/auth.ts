// Who is calling: the Authenticator interface and the static-token implementation (for tests and local use).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { scopes } from './scopes.js';

export interface IIdentity {
  user: string;
  /** Sees every job (custom:hbroker:admin). */
  admin: boolean;
  scopes: ReadonlySet<string>;
  /** How the caller proved it: a token header, or the browser session cookie (needs XSRF on writes). */
  via: 'token' | 'cookie';
}

export interface IAuthenticator {
  /** The caller, or undefined when the request carries no valid credentials. */
  authenticate(request: Request): Promise<IIdentity | undefined>;
  /** Routes a browser uses to sign in (OAuth), if this authenticator has any. */
  routes?(): Router;
  /** Where to send a browser that is not signed in, if anywhere. */
  loginUrl?(request: Request): string;
  /**
   * The XSRF token a cookie-authenticated browser must echo on writes, set as a cookie if it has none.
   * Handed out on GET /api/v1/me because the cookie's path is the service prefix, out of reach of
   * JavaScript running elsewhere on the origin (JupyterLab at /user/<name>/lab).
   */
  xsrfToken?(request: Request, response: Response): string;
}

/** Reads `Authorization: Bearer <t>` or `Authorization: token <t>` (JupyterHub's form). */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.authorization ?? '';
  const match = /^(?:bearer|token)\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

export const tokenSha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export class StaticTokenAuthenticator implements IAuthenticator {
  constructor(private tokens: { user: string; sha256: string; admin: boolean }[]) {}

  async authenticate(request: Request): Promise<IIdentity | undefined> {
    const token = bearerToken(request);
    if (!token) {
      return undefined;
    }
    const presented = Buffer.from(tokenSha256(token), 'hex');
    for (const t of this.tokens) {
      if (timingSafeEqual(presented, Buffer.from(t.sha256, 'hex'))) {
        const granted = t.admin ? Object.values(scopes) : [scopes.submit];
        return { user: t.user, admin: t.admin, scopes: new Set(granted), via: 'token' };
      }
    }
    return undefined;
  }
}
