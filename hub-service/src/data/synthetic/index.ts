// Synthetic study data: seeded, schema-valid Open mHealth data points wrapped as JHE serves them.
// See docs/synthetic-data.md for the codes, the physiology and what determinism means here.
export type { ISyntheticSpec } from './spec.js';
export { supportedCodes } from './codes.js';
export { syntheticPatients, SYNTHETIC_PATIENT_SYSTEM } from './patients.js';
export { syntheticObservations } from './observations.js';
export {
  JHE_SOURCE,
  JHE_USER_ID_SYSTEM,
  SYNTHETIC_RECORD_SYSTEM,
  SYNTHETIC_SOURCE_NAME
} from './wrap.js';
export { questionnaireScope, syntheticQuestionnaireResponses } from './questionnaire.js';
