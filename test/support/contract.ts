// Replays one recorded JHE exchange against one of our servers and says what differs: status, error
// text, content type, schema, fields and types, and (for lists) totals, page sizes, links and order,
// with the expected totals worked out from the server's data, not from its routes.
import type {
  FhirBundle,
  JheObservation,
  JhePage,
  JheQuestionnaireResponse
} from '../../hub-service/src/schema/index.js';
import { validate } from '../../hub-service/src/schema/index.js';
import type { IServerUnderTest } from './exchanges.js';
import { schemaFor, type IRecordedExchange } from './recording.js';

/** Validates a body against the schema its path and status call for; returns the schema's name. */
export function checkBody(path: string, status: number, body: unknown): string | undefined {
  const s = schemaFor(path, status, body);
  if (!s) {
    return undefined;
  }
  if (s.array) {
    (body as unknown[]).forEach(v => validate(s.schema, v, `${path} item`));
    return `${s.schema}[]`;
  }
  validate(s.schema, body, path);
  if (s.items) {
    const list =
      s.schema === 'fhir-bundle.schema.json'
        ? (body as FhirBundle).entry.map(e => e.resource)
        : (body as JhePage).results;
    list.forEach(v => validate(s.items!, v, `${path} entry`));
  }
  return s.items ? `${s.schema} of ${s.items}` : s.schema;
}

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Payloads whose inside differs by code or questionnaire: compared as a whole, not field by field. */
const opaque = new Set(['omhData', 'item']);

/** Fields the recording shows only on some records (README differences 14 and 16). */
const sometimes = new Set([
  'effectiveDateTime',
  'effectivePeriod',
  'identifier',
  'currentStudyId',
  'description'
]);

/** Every field the recorded value has, ours has too, with the same JSON type (null matches anything). */
export function shapeDifferences(recorded: unknown, ours: unknown, at = ''): string[] {
  if (recorded === null || ours === null) {
    return [];
  }
  if (kind(recorded) !== kind(ours)) {
    return [`${at || 'body'}: ${kind(ours)} where JHE has ${kind(recorded)}`];
  }
  if (Array.isArray(recorded)) {
    const ourList = ours as unknown[];
    return recorded.length > 0 && ourList.length > 0
      ? shapeDifferences(recorded[0], ourList[0], `${at}[0]`)
      : [];
  }
  if (kind(recorded) !== 'object') {
    return [];
  }
  const out: string[] = [];
  for (const [key, value] of Object.entries(recorded as Record<string, unknown>)) {
    const mine = (ours as Record<string, unknown>)[key];
    if (opaque.has(key) && mine !== undefined) {
      if (kind(mine) !== kind(value)) {
        out.push(`${at}.${key}: ${kind(mine)} where JHE has ${kind(value)}`);
      }
    } else if (mine === undefined) {
      if (!sometimes.has(key)) {
        out.push(`${at}.${key} missing`);
      }
    } else {
      out.push(...shapeDifferences(value, mine, `${at}.${key}`));
    }
  }
  return out;
}

/** The recorded request for our server: ids mapped, tokens replaced. */
export function translate(e: IRecordedExchange, server: IServerUnderTest) {
  const map = (s: string) => server.ids[s] ?? s;
  const path = e.request.path.split('/').map(map).join('/');
  const url = new URL(path.replace(/^\//, ''), server.base);
  for (const [k, v] of Object.entries(e.request.query)) {
    url.searchParams.append(k, v.replace(/\d+|[^|]+@[^|]+/g, map));
  }
  const auth = e.request.headers.Authorization;
  const token = !auth
    ? undefined
    : auth.includes('manager_mary')
      ? server.token
      : auth.includes('manager_mark')
        ? server.otherToken
        : 'a-token-the-server-never-issued';
  return { url, token, map };
}

/** Replaces the recording's ids in a sentence with ours. */
export const translateText = (text: string, map: (s: string) => string) =>
  text.replace(/\d+/g, map);

const patientOfQuestionnaire = (q: JheQuestionnaireResponse) =>
  q.extension?.find(x => x.url.endsWith('/patient-id'))?.valueInteger;

/** What a FHIR search should match on this server, from its data (undefined: refused). */
export function expectedMatches(server: IServerUnderTest, type: string, q: URLSearchParams) {
  const { view } = server;
  const study = q.get('patient._has:Group:member:_id');
  const patient = q.get('patient');
  let patients = [...view.patients.keys()];
  if (study !== null) {
    if (!view.studies.has(Number(study))) {
      return undefined;
    }
    patients = view.studies.get(Number(study))!.patientIds;
  }
  if (patient !== null) {
    if (!view.patients.has(Number(patient))) {
      return undefined;
    }
    patients = patients.filter(p => p === Number(patient));
  }
  const allowed = new Set(patients);
  if (type === 'QuestionnaireResponse') {
    const source = q.get('_source');
    const below = q.get('_source:below');
    return [...(view.data.questionnaireResponses ?? [])].filter(
      r =>
        allowed.has(patientOfQuestionnaire(r)!) &&
        (source === null || r.meta?.source === source) &&
        (below === null || r.meta?.source?.startsWith(below))
    );
  }
  const code = q.get('code');
  const [system, value] = code === null ? [] : code.includes('|') ? code.split('|') : [null, null];
  return [...view.data.observations].filter(
    (o: JheObservation) =>
      allowed.has(Number(o.subject.reference.slice(8))) &&
      (code === null ||
        (system !== null &&
          (value === '' || o.code.coding.some(c => c.system === system && c.code === value))))
  );
}

/** How many items a REST list should hold on this server, from its data (undefined: not a list). */
export function expectedRestCount(server: IServerUnderTest, path: string, q: URLSearchParams) {
  const { view } = server;
  const [resource, key, sub] = path.split('/').slice(3);
  if (resource === 'studies' && sub === 'patients') {
    return view.studies.get(Number(key))?.patientIds.length;
  }
  if (key !== undefined) {
    return undefined;
  }
  switch (resource) {
    case 'patients': {
      const study = q.get('study_id');
      const org = q.get('organization_id');
      return [...view.patients.values()].filter(
        p =>
          (study === null ||
            (view.studies.get(Number(study))?.patientIds.includes(p.id) ?? false)) &&
          (org === null || (p.organizations ?? []).some(o => String(o.id) === org))
      ).length;
    }
    case 'studies': {
      const org = q.get('organization_id');
      return [...view.studies.values()].filter(
        s => org === null || String(s.study.organization?.id) === org
      ).length;
    }
    case 'organizations':
      return view.data.organizations.length;
    case 'data_sources':
      return (view.data.dataSources ?? []).length;
    case 'observations':
      return [...view.data.observations].filter(o =>
        view.patients.has(Number(o.subject.reference.slice(8)))
      ).length;
    default:
      return undefined;
  }
}

/** Whether page `value` (null: the first) exists for `count` items of `size` a page. */
function pageExists(value: string | null, count: number, size: number): boolean {
  const last = Math.max(1, Math.ceil(count / size));
  const n = value === null ? 1 : value === 'last' ? last : Number(value);
  return Number.isInteger(n) && n >= 1 && n <= last;
}

/** JHE's page-size rule: 20 unless a positive number is given, at most 1000. */
export function pageSizeOf(value: string | null): number {
  return value !== null && /^\d+$/.test(value) && Number(value) > 0
    ? Math.min(Number(value), 1000)
    : 20;
}

/** Checks one page of `total` items: its length, its links and its position. Returns differences. */
export function pagingDifferences(
  total: number,
  shown: number,
  size: number,
  page: number,
  relations: string[]
): string[] {
  const out: string[] = [];
  const expected = Math.max(0, Math.min(size, total - (page - 1) * size));
  if (shown !== expected) {
    out.push(
      `${shown} entries on page ${page}, expected ${expected} (size ${size}, total ${total})`
    );
  }
  const next = page * size < total;
  if (relations.includes('next') !== next) {
    out.push(`next link ${next ? 'missing' : 'on the last page'}`);
  }
  if (relations.includes('previous') !== page > 1) {
    out.push(`previous link ${page > 1 ? 'missing' : 'on page 1'}`);
  }
  return out;
}

/** Order check: lastUpdated descending, equal times by ascending id. */
export function orderDifferences(resources: { id: string; meta?: { lastUpdated?: string } }[]) {
  for (let i = 1; i < resources.length; i++) {
    const a = resources[i - 1];
    const b = resources[i];
    const x = a.meta?.lastUpdated ?? '';
    const y = b.meta?.lastUpdated ?? '';
    if (x < y || (x === y && Number(a.id) > Number(b.id))) {
      return [`${a.id} (${x}) before ${b.id} (${y})`];
    }
  }
  return [];
}

/** Answers whose fields may differ from JHE's on purpose, and why. */
export const shapeExempt: Record<string, string> = {
  'fhir-01-metadata.json':
    'our CapabilityStatement lists what we serve (Observation and QuestionnaireResponse, read and search) and no OAuth endpoints; jupyterhealth-client reads only rest[].resource[].type',
  'fhir-02-metadata-no-token.json': 'as fhir-01'
};

/** Text of a JHE error body: REST detail or OperationOutcome diagnostics. */
const errorText = (body: unknown) => {
  const b = body as { detail?: string; issue?: { diagnostics: string }[] };
  return b.detail ?? b.issue?.[0].diagnostics;
};

export async function replay(e: IRecordedExchange, server: IServerUnderTest): Promise<string[]> {
  const { url, token, map } = translate(e, server);
  const response = await fetch(url, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(60_000)
  });
  const problems: string[] = [];
  const recordedType = e.response.headers['content-type'];
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  if (recordedType.startsWith('text/html')) {
    // Django's HTML 404: not JSON, so jupyterhealth-client reports "(html error page)" for both.
    if (response.status !== e.response.status || !type.startsWith('text/html')) {
      problems.push(`${response.status} ${type}, JHE answers ${e.response.status} ${recordedType}`);
    }
    return problems;
  }
  if (type !== 'application/json') {
    problems.push(`content-type ${type}, JHE sends application/json`);
  }
  const body = JSON.parse(text) as unknown;
  const q = url.searchParams;
  const fhirType = /^\/FHIR\/R5\/(Observation|QuestionnaireResponse)$/.exec(e.request.path)?.[1];
  const matches = fhirType && token === server.token ? expectedMatches(server, fhirType, q) : null;
  const restCount =
    !fhirType && token === server.token ? expectedRestCount(server, e.request.path, q) : undefined;
  let status = e.response.status;
  // Past-the-end depends on how many records this server holds: the rule, not the recorded number.
  if (matches && q.get('_summary') !== 'count') {
    status = pageExists(q.get('_page'), matches.length, pageSizeOf(q.get('_count'))) ? 200 : 404;
  }
  if (restCount !== undefined) {
    status = pageExists(q.get('page'), restCount, pageSizeOf(q.get('page_size'))) ? 200 : 404;
  }
  if (response.status !== status) {
    return [`status ${response.status}, expected ${status}: ${text.slice(0, 200)}`];
  }
  try {
    checkBody(e.request.path, response.status, body);
  } catch (err) {
    problems.push(`schema: ${(err as Error).message}`);
  }
  if (status >= 400) {
    const expected = translateText(errorText(e.response.body) ?? '', map);
    if (status !== e.response.status || errorText(body) === expected) {
      return problems;
    }
    return [...problems, `error "${errorText(body)}", JHE says "${expected}"`];
  }
  if (status === e.response.status && !shapeExempt[e.file]) {
    problems.push(...shapeDifferences(e.response.body, body));
  }
  if (matches && (body as FhirBundle).resourceType === 'Bundle') {
    const bundle = body as FhirBundle;
    if (bundle.total !== matches.length) {
      problems.push(`total ${bundle.total}, this server holds ${matches.length} matches`);
    }
    const relations = bundle.link.map(l => l.relation);
    if (q.get('_summary') !== 'count') {
      const page = q.get('_page');
      const size = pageSizeOf(q.get('_count'));
      const n =
        page === null ? 1 : page === 'last' ? Math.ceil(matches.length / size) : Number(page);
      problems.push(...pagingDifferences(matches.length, bundle.entry.length, size, n, relations));
    }
    if (relations[0] !== 'self') {
      problems.push('the first link is not self');
    }
    if (fhirType === 'Observation') {
      problems.push(
        ...orderDifferences(bundle.entry.map(x => x.resource as { id: string; meta?: object }))
      );
    }
  }
  if (typeof body === 'object' && body !== null && 'results' in body) {
    const page = body as JhePage;
    if (restCount !== undefined && page.count !== restCount) {
      problems.push(`count ${page.count}, this server holds ${restCount}`);
    }
    const n = q.get('page') === null ? 1 : Number(q.get('page'));
    const relations = [...(page.next ? ['next'] : []), ...(page.previous ? ['previous'] : [])];
    problems.push(
      ...pagingDifferences(
        page.count,
        page.results.length,
        pageSizeOf(q.get('page_size')),
        n,
        relations
      )
    );
  }
  return problems;
}
