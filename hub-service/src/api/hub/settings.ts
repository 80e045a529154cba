// What JupyterHub tells a managed service through its environment.
import { HBrokerError } from '../../errors.js';

export interface IHubSettings {
  /** The hub's REST API, e.g. http://127.0.0.1:8081/hub/api */
  apiUrl: string;
  /** This service's own hub token: never logged, never sent anywhere but the hub API. */
  apiToken: string;
  /** The URL path the proxy routes to this service, e.g. /services/hbroker/ */
  prefix: string;
  /** Where this service listens, e.g. http://127.0.0.1:10101 */
  serviceUrl: string;
  clientId: string;
  /** This service's name in the hub, for its access scope. */
  serviceName: string;
  /** The OAuth redirect URI registered with the hub (often a path). */
  callbackUrl: string;
  /** Where browsers reach the hub's authorize endpoint (a path when the hub is on the same host). */
  authorizeUrl: string;
}

export function hubSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): IHubSettings | undefined {
  if (!env.JUPYTERHUB_API_TOKEN) {
    return undefined;
  }
  const missing = [
    'JUPYTERHUB_API_URL',
    'JUPYTERHUB_SERVICE_PREFIX',
    'JUPYTERHUB_SERVICE_URL',
    'JUPYTERHUB_CLIENT_ID'
  ].filter(k => !env[k]);
  if (missing.length > 0) {
    throw new HBrokerError(
      'bad_hub_environment',
      `JUPYTERHUB_API_TOKEN is set but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not: run hbroker serve as a JupyterHub managed service (see hbroker.jupyterhub.configure).`
    );
  }
  const prefix = env.JUPYTERHUB_SERVICE_PREFIX!.replace(/\/?$/, '/');
  const hubPrefix = `${(env.JUPYTERHUB_BASE_URL ?? '/').replace(/\/?$/, '/')}hub/`;
  return {
    apiUrl: env.JUPYTERHUB_API_URL!.replace(/\/+$/, ''),
    apiToken: env.JUPYTERHUB_API_TOKEN,
    prefix,
    serviceUrl: env.JUPYTERHUB_SERVICE_URL!,
    clientId: env.JUPYTERHUB_CLIENT_ID!,
    serviceName: env.JUPYTERHUB_SERVICE_NAME ?? 'hbroker',
    callbackUrl: env.JUPYTERHUB_OAUTH_CALLBACK_URL ?? `${prefix}oauth_callback`,
    authorizeUrl: env.JUPYTERHUB_PUBLIC_HUB_URL
      ? `${env.JUPYTERHUB_PUBLIC_HUB_URL.replace(/\/+$/, '')}/api/oauth2/authorize`
      : `${env.JUPYTERHUB_HOST ?? ''}${hubPrefix}api/oauth2/authorize`
  };
}
