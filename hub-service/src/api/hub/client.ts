// The hub's REST API, as this service uses it: who owns a token, OAuth code exchange, a user's auth_state.
import { HBrokerError } from '../../errors.js';
import type { IHubSettings } from './settings.js';

export interface IHubUser {
  name: string;
  admin?: boolean;
  kind?: string;
  /** The scopes of the token that asked (JupyterHub ≥ 2). */
  scopes?: string[];
  auth_state?: Record<string, unknown> | null;
  groups?: string[];
}

const unreachable = (e: unknown) =>
  new HBrokerError(
    'hub_unreachable',
    `JupyterHub's API did not answer (${(e as Error).message}); try again shortly.`,
    502
  );

export class HubClient {
  constructor(
    private settings: IHubSettings,
    private timeoutMs = 10000
  ) {}

  private async call(path: string, token: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(`${this.settings.apiUrl}${path}`, {
        ...init,
        headers: { Authorization: `token ${token}`, ...(init.headers ?? {}) },
        signal: AbortSignal.timeout(this.timeoutMs)
      });
    } catch (e) {
      throw unreachable(e);
    }
  }

  /** The owner of a token, with that token's scopes; undefined when the hub does not accept it. */
  async whoIs(token: string): Promise<IHubUser | undefined> {
    const response = await this.call('/user', token);
    if (response.status === 401 || response.status === 403) {
      return undefined;
    }
    if (!response.ok) {
      throw unreachable(new Error(`HTTP ${response.status}`));
    }
    return (await response.json()) as IHubUser;
  }

  /** Trades an OAuth authorization code (and its PKCE verifier) for an access token. */
  async exchangeCode(code: string, verifier: string): Promise<string | undefined> {
    let response: Response;
    try {
      response = await fetch(`${this.settings.apiUrl}/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          client_id: this.settings.clientId,
          client_secret: this.settings.apiToken,
          redirect_uri: this.settings.callbackUrl
        }),
        signal: AbortSignal.timeout(this.timeoutMs)
      });
    } catch (e) {
      throw unreachable(e);
    }
    if (!response.ok) {
      return undefined;
    }
    return ((await response.json()) as { access_token?: string }).access_token;
  }

  /** Every hub user's name (needs read:users). */
  async userNames(): Promise<string[]> {
    const names: string[] = [];
    for (let offset = 0; ; offset += 200) {
      const response = await this.call(
        `/users?limit=200&offset=${offset}`,
        this.settings.apiToken,
        {
          headers: { Accept: 'application/json' }
        }
      );
      if (!response.ok) {
        throw unreachable(new Error(`HTTP ${response.status} listing users`));
      }
      const page = (await response.json()) as IHubUser[] | { items: IHubUser[] };
      const items = Array.isArray(page) ? page : page.items;
      names.push(...items.map(u => u.name));
      if (items.length < 200) {
        return names;
      }
    }
  }

  /** A user's hub groups, read with this service's own token (needs read:users). */
  async groupsOf(user: string): Promise<string[]> {
    const response = await this.call(`/users/${encodeURIComponent(user)}`, this.settings.apiToken);
    return response.ok ? (((await response.json()) as IHubUser).groups ?? []) : [];
  }

  /** A user's auth_state, read with this service's own token (needs admin:auth_state). */
  async authState(user: string): Promise<Record<string, unknown> | undefined> {
    const response = await this.call(`/users/${encodeURIComponent(user)}`, this.settings.apiToken);
    if (!response.ok) {
      return undefined;
    }
    return ((await response.json()) as IHubUser).auth_state ?? undefined;
  }
}
