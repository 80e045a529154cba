// Who is calling: the Authenticator interface and the static-token implementation (hub OAuth comes later).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

export interface IIdentity {
  user: string;
  admin: boolean;
}

export interface IAuthenticator {
  /** The caller, or undefined when the request carries no valid credentials. */
  authenticate(request: Request): Promise<IIdentity | undefined>;
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
        return { user: t.user, admin: t.admin };
      }
    }
    return undefined;
  }
}
