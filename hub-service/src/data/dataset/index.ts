// $HBROKER_DATA: one study on disk, laid out the same way for synthetic and for real (decrypted) data.
export { readLines, LineWriter } from './files.js';
export {
  fhirPatient,
  jheUserIdSystem,
  layout,
  writeStagedStudy,
  type IWrittenStudy
} from './layout.js';
export { readStagedStudy, type IStudyData } from './read.js';
export { dataPointOf, tidyObservation, type TidyValue } from './tidy.js';
export { csvCells, disclosureIndexOf } from './disclosure.js';
export { DatasetHash } from './hash.js';
