// The JupyterHealth Exchange as a data source (REST and FHIR with the user's token, CommonHealth decryption).
export {
  defaultJheClientOptions,
  JheClient,
  JheRequestError,
  type IJheClientOptions
} from './client.js';
export { openObservation } from './open.js';
export { jheFailure, JheDataSource, type IJheSourceOptions } from './source.js';
