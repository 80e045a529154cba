// The JHE API subset jupyterhealth-client uses, answered from a FacadeView, in JHE's exact shapes.
import type { FhirBundle, JhePage } from '../../schema/index.js';
import type { FacadeView } from './view.js';

export interface IFacadeAnswer {
  status: number;
  body: unknown;
}

/** DRF's page size in JHE (settings PAGE_SIZE) and the FHIR paginator's default and cap. */
export const restPageSize = 1000;
export const fhirDefaultCount = 20;
export const fhirMaxCount = 1000;

const notFound: IFacadeAnswer = { status: 404, body: { detail: 'Not found.' } };
const forbidden = (what: string): IFacadeAnswer => ({
  status: 403,
  body: { detail: `Current User does not have authorization to access this ${what}.` }
});

function positive(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function withParam(url: URL, name: string, value: number): string {
  const next = new URL(url);
  next.searchParams.set(name, String(value));
  return next.toString();
}

/** A DRF page of `items`; `url` is the request's absolute URL, for next/previous links. */
function page<T>(items: T[], url: URL): IFacadeAnswer {
  const number = positive(url.searchParams.get('page'), 1);
  const start = (number - 1) * restPageSize;
  if (start > 0 && start >= items.length) {
    return { status: 404, body: { detail: 'Invalid page.' } };
  }
  const body: JhePage = {
    count: items.length,
    next: start + restPageSize < items.length ? withParam(url, 'page', number + 1) : null,
    previous: number > 1 ? withParam(url, 'page', number - 1) : null,
    results: items.slice(start, start + restPageSize)
  };
  return { status: 200, body };
}

function observationSearch(view: FacadeView, url: URL): IFacadeAnswer {
  const q = url.searchParams;
  const study = q.get('patient._has:Group:member:_id');
  const patient = q.get('patient');
  let ids: number[] | undefined;
  if (study !== null) {
    if (!view.studies.has(Number(study))) {
      return forbidden('Study');
    }
    ids = view.patientsOf(Number(study)).map(p => p.id);
  }
  if (patient !== null) {
    const id = Number(patient.replace(/^Patient\//, ''));
    if (!view.patients.has(id)) {
      return forbidden('Patient');
    }
    ids = ids ? ids.filter(i => i === id) : [id];
  }
  const codeParam = q.get('code');
  const code = codeParam
    ? codeParam.includes('|')
      ? { system: codeParam.split('|')[0], code: codeParam.split('|').slice(1).join('|') }
      : { code: codeParam }
    : undefined;
  const all = view.observations(ids, code);
  const count = Math.min(positive(q.get('_count'), fhirDefaultCount), fhirMaxCount);
  const number = positive(q.get('_page'), 1);
  const start = (number - 1) * count;
  const link = [{ relation: 'self', url: url.toString() }];
  if (number > 1) {
    link.push({ relation: 'previous', url: withParam(url, '_page', number - 1) });
  }
  if (start + count < all.length) {
    link.push({ relation: 'next', url: withParam(url, '_page', number + 1) });
  }
  const bundle: FhirBundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    total: all.length,
    entry: all.slice(start, start + count).map(resource => ({ resource })),
    link,
    meta: {}
  };
  return { status: 200, body: bundle };
}

/**
 * Answers one GET. `path` is relative to the facade's base (e.g. "api/v1/studies/3/patients"),
 * `url` the request's absolute URL as the caller sees it.
 */
export function answer(view: FacadeView, path: string, url: URL): IFacadeAnswer {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  const id = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : NaN);
  if (parts[0] === 'FHIR' && parts[1] === 'R5' && parts[2] === 'Observation' && !parts[3]) {
    return observationSearch(view, url);
  }
  if (parts[0] !== 'api' || parts[1] !== 'v1') {
    return notFound;
  }
  const [, , resource, key, sub] = parts;
  const q = url.searchParams;
  const { data } = view;
  switch (resource) {
    case 'users':
      return key === 'profile' && !sub ? { status: 200, body: data.user } : notFound;
    case 'organizations': {
      if (key === undefined) {
        return page(data.organizations, url);
      }
      const found = data.organizations.find(o => o.id === id(key));
      return found && !sub ? { status: 200, body: found } : notFound;
    }
    case 'studies': {
      if (key === undefined) {
        const org = q.get('organization_id');
        const studies = [...view.studies.values()]
          .map(s => s.study)
          .filter(s => org === null || s.organization?.id === Number(org));
        return page(studies, url);
      }
      const study = view.studies.get(id(key));
      if (!study) {
        return forbidden('Study');
      }
      if (sub === undefined) {
        return { status: 200, body: study.study };
      }
      if (sub === 'patients') {
        return page(view.patientsOf(study.study.id), url);
      }
      if (sub === 'scope_requests') {
        return {
          status: 200,
          body: study.codes.map((scopeCode, i) => ({ id: i + 1, study: study.study, scopeCode }))
        };
      }
      return notFound;
    }
    case 'patients': {
      if (key === undefined) {
        const studyId = q.get('study_id');
        const org = q.get('organization_id');
        let patients = studyId !== null ? view.patientsOf(Number(studyId)) : data.patients;
        if (org !== null) {
          patients = patients.filter(p => p.organizations?.some(o => o.id === Number(org)));
        }
        return page(patients, url);
      }
      const patient = view.patients.get(id(key));
      if (!patient) {
        return forbidden('Patient');
      }
      return sub === undefined ? { status: 200, body: patient } : notFound;
    }
    default:
      return notFound;
  }
}
