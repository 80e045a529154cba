// The facade's REST API under api/v1/, in the shapes and orders JHE renders (see the recorded contract).
import type {
  JheDataSource,
  JheOrganization,
  JhePatient,
  JhePatientConsents,
  JheRestObservation,
  JheScopeRequest,
  JheStudy
} from '../../schema/index.js';
import { dataPointOf } from '../dataset/tidy.js';
import { htmlNotFound, restError, restPage, type IFacadeAnswer } from './paging.js';
import { patientIdOf, type FacadeView, type IFacadeStudy } from './view.js';

const byName = (a: { name: string }, b: { name: string }) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

const ok = (body: unknown): IFacadeAnswer => ({ status: 200, body });
const noPatient = restError(404, 'No Patient matches the given query.');

/** An organization as JHE renders it in lists and in a patient's organizations. */
const organizationOf = (o: JheOrganization): JheOrganization => ({
  id: o.id,
  name: o.name,
  type: o.type,
  partOf: o.partOf ?? null,
  currentUserRole: o.currentUserRole ?? null,
  children: o.children ?? []
});

const patientOf = (p: JhePatient): JhePatient => ({
  ...p,
  organizations: (p.organizations ?? []).map(organizationOf)
});

/** A study as JHE's study endpoints render it: its organization as id, name and type only. */
function studyOf(s: JheStudy): JheStudy {
  const { organization, ...rest } = s;
  delete (rest as { lastUpdated?: string }).lastUpdated;
  return {
    ...rest,
    ...(organization
      ? { organization: { id: organization.id, name: organization.name, type: organization.type } }
      : {}),
    iconUrl: s.iconUrl ?? null
  };
}

/** scope_requests renders the study flat: organization as an id, its patient ids. */
function scopeRequests(s: IFacadeStudy): JheScopeRequest[] {
  const study = {
    id: s.study.id,
    name: s.study.name,
    ...(s.study.description !== undefined ? { description: s.study.description } : {}),
    iconUrl: s.study.iconUrl ?? null,
    ...(s.study.lastUpdated ? { lastUpdated: s.study.lastUpdated } : {}),
    organization: s.study.organization?.id ?? 0,
    patients: s.patientIds
  };
  return s.codes.map((scopeCode, i) => ({ id: i + 1, study, scopeCode }));
}

function consents(view: FacadeView, patientId: number): JhePatientConsents {
  const sources = view.data.dataSources ?? [];
  const studies = [...view.studies.values()].filter(s => s.patientIds.includes(patientId));
  const sourcesFor = (s: IFacadeStudy): JheDataSource[] =>
    sources.filter(d =>
      d.supportedScopes.some(c => s.codes.some(x => x.codingCode === c.codingCode))
    );
  const consented = new Map(studies.flatMap(s => s.codes.map(c => [c.codingCode, c] as const)));
  return {
    patient: patientOf(view.patients.get(patientId)!),
    consolidatedConsentedScopes: [...consented.values()],
    studiesPendingConsent: [],
    studies: studies.map(s => ({
      ...(studyOf(s.study) as Omit<JheStudy, 'organization'>),
      organization: studyOf(s.study).organization ?? { id: 0, name: '', type: 'root' },
      dataSources: sourcesFor(s),
      // The facade only knows patients whose data the token may read: they consented to the study.
      scopeConsents: s.codes.map(code => ({ code, consented: true, consentedTime: null }))
    }))
  };
}

function restObservations(view: FacadeView, url: URL): IFacadeAnswer {
  const scopeIds = new Map(
    [...view.studies.values()].flatMap(s => s.codes.map(c => [c.codingCode, c.id] as const))
  );
  const rows: JheRestObservation[] = view.observations(undefined).map(o => {
    const patient = view.patients.get(patientIdOf(o));
    const coding = o.code.coding[0];
    let omhData: Record<string, unknown> = {};
    try {
      omhData = dataPointOf(o);
    } catch {
      // An undecodable payload is rendered empty, not fatal for the whole list.
    }
    return {
      id: Number(o.id),
      subjectPatientId: patientIdOf(o),
      patientNameFamily: patient?.nameFamily ?? null,
      patientNameGiven: patient?.nameGiven ?? null,
      ...(patient ? { jheUserId: patient.jheUserId } : {}),
      ...(scopeIds.get(coding.code) !== undefined
        ? { codeableConceptId: scopeIds.get(coding.code) }
        : {}),
      codingSystem: coding.system,
      codingCode: coding.code,
      ...(coding.display ? { codingText: coding.display } : {}),
      lastUpdated: o.meta?.lastUpdated ?? '',
      omhData
    };
  });
  return restPage(rows, url);
}

/** One REST request; `parts` is the path after api/v1/. */
export function answerRest(view: FacadeView, parts: string[], url: URL): IFacadeAnswer {
  const [resource, key, sub, more] = parts;
  if (more !== undefined) {
    return htmlNotFound;
  }
  const q = url.searchParams;
  const id = key !== undefined && /^\d+$/.test(key) ? Number(key) : NaN;
  const { data } = view;
  switch (resource) {
    case 'users':
      return key === 'profile' && sub === undefined ? ok(data.user) : htmlNotFound;
    case 'organizations': {
      if (key === undefined) {
        return restPage([...data.organizations].sort(byName).map(organizationOf), url);
      }
      const found = data.organizations.find(o => o.id === id);
      if (sub !== undefined) {
        return htmlNotFound;
      }
      return found
        ? ok(organizationOf(found))
        : restError(404, 'No Organization matches the given query.');
    }
    case 'studies': {
      if (key === undefined) {
        const org = q.get('organization_id');
        const studies = [...view.studies.values()]
          .map(s => studyOf(s.study))
          .filter(s => org === null || String(s.organization?.id) === org)
          .sort(byName);
        return restPage(studies, url);
      }
      const study = view.studies.get(id);
      if (!study) {
        return restError(403, 'Current User does not have authorization to access this Study.');
      }
      if (sub === undefined) {
        return ok(studyOf(study.study));
      }
      if (sub === 'patients') {
        return restPage(view.patientsOf(study.study.id).map(patientOf), url);
      }
      return sub === 'scope_requests' ? ok(scopeRequests(study)) : htmlNotFound;
    }
    case 'patients': {
      if (key === undefined) {
        const studyId = q.get('study_id');
        const org = q.get('organization_id');
        let patients =
          studyId !== null ? view.patientsOf(Number(studyId)) : [...view.patients.values()];
        if (org !== null) {
          patients = patients.filter(p => p.organizations?.some(o => String(o.id) === org));
        }
        return restPage([...patients].sort((a, b) => a.id - b.id).map(patientOf), url);
      }
      if (key === 'global_lookup' && sub === undefined) {
        const email = q.get('email');
        return ok(
          [...view.patients.values()].filter(p => email && p.telecomEmail === email).map(patientOf)
        );
      }
      if (!view.patients.has(id)) {
        return noPatient;
      }
      if (sub === undefined) {
        return ok(patientOf(view.patients.get(id)!));
      }
      return sub === 'consents' ? ok(consents(view, id)) : htmlNotFound;
    }
    case 'data_sources':
      return key === undefined
        ? restPage([...(data.dataSources ?? [])].sort(byName), url)
        : htmlNotFound;
    case 'observations':
      return key === undefined ? restObservations(view, url) : htmlNotFound;
    default:
      return htmlNotFound;
  }
}
