// Who a bearer token at {prefix}jhe/ belongs to, and which synthetic studies that user sees. Under
// JupyterHub the token is the user's hub token (their server's), not their JHE token: the hub rotates the
// JHE token at every refresh and JHE revokes the old one, while the server's hub token lives as long as
// the server does. The JHE token is read from the hub's auth_state at each (cached) look-up instead.
import type { FacadeView } from './facade/index.js';
import type { StudyGrants } from './grants.js';
import type { IJheTokens } from './index.js';
import type { BrokerToken } from './jhe/broker-token.js';

export interface IExchangeResolver {
  resolve(token: string, only?: ReadonlySet<string>): Promise<FacadeView | undefined>;
}

/** What one hub user sees, decided by whatever says which studies they may read. */
export type UserView = (user: string) => Promise<FacadeView | undefined>;

/** Bearer tokens are hub tokens: the hub names the user, `view` says what they see. */
export function byHubUser(
  userOfToken: (token: string) => Promise<string | undefined>,
  view: UserView
): IExchangeResolver {
  return {
    async resolve(token) {
      const user = await userOfToken(token);
      return user === undefined ? undefined : view(user);
    }
  };
}

/** Caller identity: the exchange shows the user what their own JHE token (from auth_state) may see. */
export function throughUserJheToken(exchange: IExchangeResolver, tokens: IJheTokens): UserView {
  return async user => {
    const jhe = await tokens.get(user);
    return jhe ? exchange.resolve(jhe) : undefined;
  };
}

/**
 * Broker identity: the exchange shows the user the studies HBroker grants them, as HBroker's own
 * account reads them (the user's own JHE account need not see them at all).
 */
export function throughBrokerGrants(
  exchange: IExchangeResolver,
  token: BrokerToken,
  grants: StudyGrants
): UserView {
  return async user => exchange.resolve(await token.get(), await grants.studiesOf(user));
}
