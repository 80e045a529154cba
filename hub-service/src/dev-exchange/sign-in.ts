// Signs a dev-exchange user in the way a browser and an OAuth client do (login form, authorize with PKCE,
// code for tokens), for tests and scripts that need a user's JHE token: the exchange has no password grant.
import { createHash, randomBytes } from 'node:crypto';
import type { ITokenResponse } from './oauth.js';
import type { IDevExchange } from './server.js';

export const scriptClient = {
  clientId: 'hbroker-dev-scripts',
  redirectUri: 'http://127.0.0.1/hbroker-dev-scripts/callback'
};

/** The token response for `user` (name or email) after a real authorization-code + PKCE flow. */
export async function signIn(
  exchange: IDevExchange,
  user: string,
  password: string,
  scope = 'openid email'
): Promise<ITokenResponse> {
  exchange.oauth.clients.registerSignIn(scriptClient.clientId, [scriptClient.redirectUri]);
  const base = exchange.url;
  const verifier = randomBytes(32).toString('base64url');
  const authorize = `/o/authorize/?${new URLSearchParams({
    response_type: 'code',
    client_id: scriptClient.clientId,
    redirect_uri: scriptClient.redirectUri,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    scope,
    state: 'dev'
  })}`;
  const login = await fetch(new URL('accounts/login/', base), {
    method: 'POST',
    body: new URLSearchParams({ username: user, password, next: authorize }),
    redirect: 'manual'
  });
  const session = /sessionid=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  if (login.status !== 302 || !session) {
    throw new Error(`the dev exchange refused the login of ${user} (${login.status})`);
  }
  const back = await fetch(new URL(login.headers.get('location')!, base), {
    headers: { Cookie: `sessionid=${session}` },
    redirect: 'manual'
  });
  const code = new URL(back.headers.get('location') ?? '', base).searchParams.get('code');
  if (!code) {
    throw new Error(`the dev exchange gave no code (${back.headers.get('location')})`);
  }
  const token = await fetch(new URL('o/token/', base), {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: scriptClient.redirectUri,
      client_id: scriptClient.clientId,
      code_verifier: verifier
    })
  });
  if (!token.ok) {
    throw new Error(`the dev exchange refused the code (${token.status} ${await token.text()})`);
  }
  return (await token.json()) as ITokenResponse;
}
