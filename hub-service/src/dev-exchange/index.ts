// The dev exchange (DEV ONLY): a JupyterHealth Exchange stand-in for the demo and the tests.
export { DevOAuth, accessTokenSeconds, type ITokenResponse } from './oauth.js';
export { practitionerKey, type IPractitionerClient } from './clients.js';
export { signIn } from './sign-in.js';
export {
  demoOrganization,
  demoStudies,
  seedDevExchange,
  type IDevExchangeData,
  type IDevUser
} from './seed.js';
export {
  startDevExchange,
  viewFor,
  type IDevExchange,
  type IDevExchangeOptions
} from './server.js';
