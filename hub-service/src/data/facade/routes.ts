// The JHE API jupyterhealth-client uses, answered from a FacadeView in JHE's exact shapes and orders.
import { answerFhir, capabilityStatement } from './fhir.js';
import { htmlNotFound, type IFacadeAnswer } from './paging.js';
import { answerRest } from './rest.js';
import type { FacadeView } from './view.js';

export type { IFacadeAnswer } from './paging.js';
export { defaultPageSize, maxPageSize } from './paging.js';

/** Which API a path belongs to; JHE's paths are case-sensitive and its REST paths have no trailing slash. */
export type FacadeRoute = 'rest' | 'fhir' | 'metadata' | 'unknown';

const partsOf = (path: string) => path.replace(/^\/+/, '').split('/');

export function routeOf(path: string): FacadeRoute {
  const parts = partsOf(path);
  if (parts[0] === 'FHIR' && parts[1] === 'R5' && parts.length > 2 && parts[2] !== '') {
    return parts[2] === 'metadata' && parts.length === 3 ? 'metadata' : 'fhir';
  }
  if (parts[0] === 'api' && parts[1] === 'v1' && parts.length > 2 && !parts.includes('')) {
    return 'rest';
  }
  return 'unknown';
}

/** The exchange's base URL as the caller sees it: the request URL without the facade-relative path. */
function baseOf(path: string, url: URL): string {
  const rel = path.replace(/^\/+/, '');
  return `${url.origin}${url.pathname.slice(0, url.pathname.length - rel.length)}`;
}

/**
 * Answers one GET. `path` is relative to the facade's base (e.g. "api/v1/studies/3/patients"),
 * `url` the request's absolute URL as the caller sees it.
 */
export function answer(view: FacadeView | undefined, path: string, url: URL): IFacadeAnswer {
  const route = routeOf(path);
  const parts = partsOf(path);
  if (route === 'metadata') {
    return { status: 200, body: capabilityStatement(baseOf(path, url)) };
  }
  if (route === 'unknown' || !view) {
    return htmlNotFound;
  }
  return route === 'fhir'
    ? answerFhir(view, parts.slice(2), url)
    : answerRest(view, parts.slice(2), url);
}
