// The JHE-API facade: one implementation for synthetic data at the service and real data in a run.
export { bearerToken, serveFacadeRequest, type FacadeResolver } from './http.js';
export { defaultPageSize, maxPageSize, operationOutcome, rebuiltLink } from './paging.js';
export { answer, routeOf, type FacadeRoute, type IFacadeAnswer } from './routes.js';
export { stagedStudyView } from './staged.js';
export {
  FacadeView,
  jheSearchOrder,
  questionnairePatientOf,
  type IFacadeData,
  type IFacadeStudy
} from './view.js';
