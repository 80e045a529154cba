// The dev exchange's OAuth 2 endpoints, shaped like django-oauth-toolkit's in JHE: /o/token/, /o/authorize/.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IDevUser } from './seed.js';

export interface ITokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token: string;
}

interface IPendingCode {
  user: IDevUser;
  redirectUri: string;
  challenge?: string;
  expires: number;
}

const lifetimeSeconds = 36000;
const random = () => randomBytes(24).toString('base64url');

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class DevOAuth {
  private access = new Map<string, IDevUser>();
  private refresh = new Map<string, IDevUser>();
  private codes = new Map<string, IPendingCode>();

  constructor(
    private users: IDevUser[],
    private password: string
  ) {}

  /** The user a name or email and the demo password belong to. */
  login(name: string, password: string): IDevUser | undefined {
    const user = this.users.find(u => u.username === name || u.email === name);
    return user && same(password, this.password) ? user : undefined;
  }

  userFor(accessToken: string): IDevUser | undefined {
    return this.access.get(accessToken);
  }

  issue(user: IDevUser): ITokenResponse {
    const response: ITokenResponse = {
      access_token: random(),
      token_type: 'Bearer',
      expires_in: lifetimeSeconds,
      scope: 'openid',
      refresh_token: random()
    };
    this.access.set(response.access_token, user);
    this.refresh.set(response.refresh_token, user);
    return response;
  }

  /** Starts an authorization-code grant (after the login form) and returns the code. */
  authorize(user: IDevUser, redirectUri: string, challenge?: string): string {
    const code = random();
    this.codes.set(code, { user, redirectUri, challenge, expires: Date.now() + 60_000 });
    return code;
  }

  /** POST /o/token/: password, authorization_code (with PKCE S256 when a challenge was sent) and refresh_token. */
  token(form: URLSearchParams): { status: number; body: object } {
    const fail = (error: string, description: string) => ({
      status: 400,
      body: { error, error_description: description }
    });
    const grant = form.get('grant_type');
    if (grant === 'password') {
      const user = this.login(form.get('username') ?? '', form.get('password') ?? '');
      return user
        ? { status: 200, body: this.issue(user) }
        : fail('invalid_grant', 'Invalid credentials given.');
    }
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const pending = this.codes.get(code);
      this.codes.delete(code);
      if (!pending || pending.expires < Date.now()) {
        return fail('invalid_grant', 'The authorization code is unknown or expired.');
      }
      if (form.get('redirect_uri') !== pending.redirectUri) {
        return fail('invalid_grant', 'Mismatching redirect URI.');
      }
      if (pending.challenge) {
        const verifier = form.get('code_verifier') ?? '';
        const digest = createHash('sha256').update(verifier).digest('base64url');
        if (!same(digest, pending.challenge)) {
          return fail('invalid_grant', 'Code verifier does not match the challenge.');
        }
      }
      return { status: 200, body: this.issue(pending.user) };
    }
    if (grant === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      const user = this.refresh.get(token);
      this.refresh.delete(token);
      return user
        ? { status: 200, body: this.issue(user) }
        : fail('invalid_grant', 'The refresh token is unknown.');
    }
    return fail('unsupported_grant_type', `grant_type ${grant ?? '(none)'} is not supported.`);
  }

  revoke(accessToken: string): void {
    this.access.delete(accessToken);
  }
}
