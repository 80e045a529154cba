// The dev exchange (DEV ONLY): a JupyterHealth Exchange stand-in for the demo and the tests.
export { DevOAuth, type ITokenResponse } from './oauth.js';
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
