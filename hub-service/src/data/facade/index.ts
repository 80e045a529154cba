// The JHE-API facade: one implementation for synthetic data at the service and real data in a run.
export { bearerToken, serveFacadeRequest, type FacadeResolver } from './http.js';
export { answer, fhirDefaultCount, fhirMaxCount, restPageSize } from './routes.js';
export { stagedStudyView } from './staged.js';
export { FacadeView, type IFacadeData, type IFacadeStudy } from './view.js';
