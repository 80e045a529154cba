// The dev exchange's OAuth applications, as JHE's django-oauth-toolkit keeps them: public sign-in clients
// with registered redirect URIs (authorization code + PKCE) and practitioners' client-credentials clients.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IDevUser } from './seed.js';

export interface ISignInClient {
  kind: 'sign-in';
  clientId: string;
  /** Only these exact URIs get codes; anything else is JHE's "Mismatching redirect URI." page. */
  redirectUris: string[];
}

export interface IPractitionerClient {
  kind: 'practitioner';
  id: number;
  clientId: string;
  clientSecret: string;
  label: string;
  created: string;
  name: string;
  owner: IDevUser;
}

export type IDevClient = ISignInClient | IPractitionerClient;

const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** JHE's token and secret format: [A-Za-z0-9] of a given length. */
export function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (const b of bytes) {
    if (b < 248 && out.length < length) {
      out += alphanumeric[b % 62];
    }
  }
  return out.length === length ? out : randomAlphanumeric(length);
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** JHE's `key` for a practitioner client: base64("client_id:client_secret"), usable as HTTP Basic. */
export const practitionerKey = (c: IPractitionerClient) =>
  Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64');

export class DevClients {
  private clients = new Map<string, IDevClient>();
  private nextId = 1;

  /** Registers (or replaces) a public sign-in client, e.g. a JupyterHub's oauth_callback. */
  registerSignIn(clientId: string, redirectUris: string[]): ISignInClient {
    const client: ISignInClient = { kind: 'sign-in', clientId, redirectUris: [...redirectUris] };
    this.clients.set(clientId, client);
    return client;
  }

  /** POST /api/v1/practitioner_clients: a confidential client acting as its owner. */
  createPractitionerClient(owner: IDevUser, label: string): IPractitionerClient {
    const now = new Date();
    const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
    const client: IPractitionerClient = {
      kind: 'practitioner',
      id: this.nextId++,
      clientId: randomAlphanumeric(16),
      clientSecret: randomAlphanumeric(32),
      label,
      created: now.toISOString(),
      name: `_practitioner_client_${owner.id + 70000}_${stamp}`,
      owner
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  practitionerClientsOf(owner: IDevUser): IPractitionerClient[] {
    return [...this.clients.values()].filter(
      (c): c is IPractitionerClient => c.kind === 'practitioner' && c.owner.id === owner.id
    );
  }

  delete(client: IDevClient): void {
    this.clients.delete(client.clientId);
  }

  get(clientId: string): IDevClient | undefined {
    return this.clients.get(clientId);
  }
}
