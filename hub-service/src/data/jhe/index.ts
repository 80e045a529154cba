// The JupyterHealth Exchange as a data source (REST and FHIR with the user's token, CommonHealth decryption).
export {
  defaultJheClientOptions,
  JheClient,
  JheRequestError,
  type IJheClientOptions
} from './client.js';
export { openObservation } from './open.js';
export {
  defaultSnapshotOptions,
  readSnapshot,
  SearchChangedError,
  type ISnapshotOptions
} from './snapshot.js';
export {
  callerToken,
  jheFailure,
  JheDataSource,
  type IJheSourceOptions,
  type JheTokenFor
} from './source.js';
