// The facade's FHIR API under FHIR/R5/: Observation and QuestionnaireResponse searches and reads, metadata.
import type { JheCapabilityStatement } from '../../schema/index.js';
import { fhirPage, operationOutcome, type IFacadeAnswer } from './paging.js';
import type { FacadeView, ICodeFilter } from './view.js';

export const servedFhirTypes = ['Observation', 'QuestionnaireResponse'] as const;

/** The patients a search is limited to (undefined: all visible), or JHE's refusal. */
function searchedPatients(
  view: FacadeView,
  q: URLSearchParams
): number[] | undefined | IFacadeAnswer {
  const study = q.get('patient._has:Group:member:_id');
  const patient = q.get('patient');
  for (const value of [study, patient]) {
    if (value !== null && !/^-?\d+$/.test(value)) {
      return operationOutcome(422, `Field 'id' expected a number but got '${value}'.`);
    }
  }
  let ids: number[] | undefined;
  if (study !== null) {
    if (!view.studies.has(Number(study))) {
      return operationOutcome(403, `Current user is not authorized to access Group/${study}.`);
    }
    ids = view.patientsOf(Number(study)).map(p => p.id);
  }
  if (patient !== null) {
    const id = Number(patient);
    if (!view.patients.has(id)) {
      return operationOutcome(403, `Current user is not authorized to access Patient/${patient}.`);
    }
    ids = ids ? ids.filter(i => i === id) : [id];
  }
  return ids;
}

/**
 * `code` as JHE reads it: `<system>|<code>`; a bare code matches nothing, `<system>|` filters
 * nothing. Returns null for "match nothing".
 */
function codeFilter(value: string | null): ICodeFilter | undefined | null {
  if (value === null) {
    return undefined;
  }
  const bar = value.indexOf('|');
  if (bar < 0) {
    return null;
  }
  const code = value.slice(bar + 1);
  return code ? { system: value.slice(0, bar), code } : undefined;
}

function search(view: FacadeView, type: string, url: URL): IFacadeAnswer {
  const q = url.searchParams;
  const patients = searchedPatients(view, q);
  if (patients !== undefined && !Array.isArray(patients)) {
    return patients;
  }
  if (type === 'Observation') {
    const code = codeFilter(q.get('code'));
    return fhirPage(code === null ? [] : view.observations(patients, code), url);
  }
  const source = q.get('_source');
  const below = q.get('_source:below');
  return fhirPage(
    view
      .questionnaireResponses(patients)
      .filter(
        r =>
          (source === null || r.meta?.source === source) &&
          (below === null || (r.meta?.source ?? '').startsWith(below))
      ),
    url
  );
}

/** GET FHIR/R5/metadata: answered without a token, as JHE does; lists what this facade serves. */
export function capabilityStatement(base: string): JheCapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'JupyterHealth Exchange' },
    implementation: { description: 'JupyterHealth Exchange', url: `${base}FHIR/R5/` },
    fhirVersion: '5.0.0',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Searches page with _count (default 20, at most 1000) and _page, newest lastUpdated first; _summary=count gives the total only.',
        resource: servedFhirTypes.map(type => ({
          type,
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: [
            { name: 'patient', type: 'reference' },
            { name: 'patient._has:Group:member:_id', type: 'token' },
            ...(type === 'Observation'
              ? [{ name: 'code', type: 'token' }]
              : [{ name: '_source', type: 'uri' }])
          ]
        }))
      }
    ]
  };
}

/** One FHIR request; `parts` is the path after FHIR/R5/. */
export function answerFhir(view: FacadeView, parts: string[], url: URL): IFacadeAnswer {
  const [type, id, more] = parts;
  if (!(servedFhirTypes as readonly string[]).includes(type) || more !== undefined) {
    return operationOutcome(404, `Unsupported FHIR resource type: ${parts.join('/')}.`);
  }
  if (id === undefined) {
    return search(view, type, url);
  }
  const found =
    type === 'Observation'
      ? view.observation(id)
      : view.questionnaireResponses(undefined).find(r => r.id === id);
  return found ? { status: 200, body: found } : operationOutcome(404, `${type}/${id} not found.`);
}
