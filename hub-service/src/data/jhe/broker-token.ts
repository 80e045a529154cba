// HBroker's own JHE access token: the client-credentials grant of its practitioner client, found by OIDC
// discovery (openid-client), kept until shortly before it expires, one request in flight at a time.
import * as oidc from 'openid-client';
import { HBrokerError } from '../../errors.js';

/** Renew this long before JHE's expiry, so a token never runs out in the middle of a staging. */
const marginSeconds = 300;

/** JHE's `key` for a practitioner client, base64("client_id:client_secret"), split in two. */
export function parseClientKey(key: string): { clientId: string; clientSecret: string } {
  const decoded = Buffer.from(key.trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1 || colon === decoded.length - 1) {
    throw new HBrokerError(
      'bad_config',
      'data.jhe.client_key_file does not hold a JHE practitioner client key (base64 of client_id:client_secret): copy the `key` POST /api/v1/practitioner_clients returned into it.'
    );
  }
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

export class BrokerToken {
  private config?: Promise<oidc.Configuration>;
  private current?: { token: string; renewAt: number };
  private pending?: Promise<string>;

  constructor(
    private exchangeUrl: string,
    private clientKey: string,
    private timeoutMs = 30_000
  ) {}

  /** Discovery at {exchange}/o/.well-known/openid-configuration; the issuer is {exchange}/o. */
  private discover(): Promise<oidc.Configuration> {
    const { clientId, clientSecret } = parseClientKey(this.clientKey);
    const issuer = new URL(`${this.exchangeUrl.replace(/\/+$/, '')}/o`);
    return oidc.discovery(issuer, clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
      // The admin chose the exchange's address; plain http is theirs to choose (doctor warns about it).
      execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      timeout: Math.ceil(this.timeoutMs / 1000)
    });
  }

  /** A valid access token of HBroker's practitioner client. */
  async get(): Promise<string> {
    if (this.current && this.current.renewAt > Date.now()) {
      return this.current.token;
    }
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forget a token the exchange refused (e.g. its client was deleted), so the next get() asks anew. */
  invalidate(token: string): void {
    if (this.current?.token === token) {
      this.current = undefined;
    }
  }

  private async fetch(): Promise<string> {
    try {
      this.config ??= this.discover();
      const config = await this.config.catch(e => {
        this.config = undefined;
        throw e;
      });
      const response = await oidc.clientCredentialsGrant(config);
      const lifetime = response.expiresIn() ?? 3600;
      this.current = {
        token: response.access_token,
        renewAt: Date.now() + Math.max(lifetime - marginSeconds, lifetime / 2) * 1000
      };
      return response.access_token;
    } catch (e) {
      throw brokerFailure(e, this.exchangeUrl);
    }
  }
}

function brokerFailure(e: unknown, url: string): HBrokerError {
  if (e instanceof HBrokerError) {
    return e;
  }
  // A 401 with a challenge (JHE's invalid_client) arrives as a WWWAuthenticateChallengeError.
  const refused =
    (e instanceof oidc.ResponseBodyError &&
      ['invalid_client', 'unauthorized_client'].includes(e.error)) ||
    (e instanceof oidc.WWWAuthenticateChallengeError && e.status === 401);
  if (refused) {
    return new HBrokerError(
      'jhe_broker_refused',
      `The JupyterHealth Exchange at ${url} refused HBroker's own client credentials. An admin should create a practitioner client for HBroker's JHE account (POST /api/v1/practitioner_clients) and put its key in data.jhe.client_key_file; hbroker doctor checks it.`,
      503
    );
  }
  return new HBrokerError(
    'jhe_unavailable',
    `HBroker could not get its own token from the JupyterHealth Exchange at ${url} (${(e as Error).message}). Try again later, or ask an admin to run hbroker doctor.`,
    503
  );
}
