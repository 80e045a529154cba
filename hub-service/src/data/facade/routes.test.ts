import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '../../schema/index.js';
import { codes, observations, patients, study } from '../dataset/study.fixture.js';
import { answer } from './routes.js';
import { FacadeView } from './view.js';

const view = new FacadeView({
  user: { id: 1, email: 'researcher@example.org', firstName: 'R', lastName: 'S' },
  organizations: [study.organization!],
  studies: [{ study, codes, patientIds: patients.map(p => p.id) }],
  patients,
  observations: observations()
});
const base = 'http://127.0.0.1:9/jhe/';
const get = (path: string) => answer(view, path.split('?')[0], new URL(path, base));

describe('the JHE facade', () => {
  it('answers the REST endpoints with DRF pages in JHE shapes', () => {
    const studies = get('api/v1/studies');
    assert.equal(studies.status, 200);
    const page = validate('jhe-page.schema.json', studies.body, 'page') as {
      count: number;
      results: unknown[];
      next: null;
    };
    assert.equal(page.count, 1);
    assert.equal(page.next, null);
    validate('jhe-study.schema.json', page.results[0], 'study');
    const listed = get(`api/v1/patients?study_id=${study.id}`).body as { results: unknown[] };
    assert.equal(listed.results.length, 2);
    listed.results.forEach(p => validate('jhe-patient.schema.json', p, 'patient'));
    assert.equal((get('api/v1/users/profile').body as { id: number }).id, 1);
    assert.deepEqual(
      (
        get(`api/v1/studies/${study.id}/scope_requests`).body as {
          scopeCode: { codingCode: string };
        }[]
      ).map(s => s.scopeCode.codingCode),
      ['omh:heart-rate:2.0', 'omh:blood-pressure:4.0']
    );
    assert.equal(get('api/v1/patients/40002').status, 200);
    assert.equal(get('api/v1/organizations/20001').status, 200);
  });

  it('pages a FHIR Observation search with _count and _page and a next link', () => {
    const query = `FHIR/R5/Observation?patient._has:Group:member:_id=${study.id}&code=https://w3id.org/openmhealth|omh:heart-rate:2.0&_count=20`;
    const seen: string[] = [];
    let url: string | undefined = new URL(query, base).toString();
    let pages = 0;
    while (url) {
      const u: URL = new URL(url);
      const result = answer(view, u.pathname.replace('/jhe/', ''), u);
      assert.equal(result.status, 200);
      const bundle = validate('fhir-bundle.schema.json', result.body, 'bundle') as {
        total: number;
        entry: { resource: { id: string } }[];
        link: { relation: string; url: string }[];
      };
      assert.equal(bundle.total, 50);
      bundle.entry.forEach(e => validate('jhe-observation.schema.json', e.resource, 'observation'));
      seen.push(...bundle.entry.map(e => e.resource.id));
      url = bundle.link.find(l => l.relation === 'next')?.url;
      pages += 1;
    }
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 50);
  });

  it('filters by patient and by system|code (a bare code matches nothing, as in JHE), caps _count at 1000', () => {
    const one = get(
      'FHIR/R5/Observation?patient=40001&code=https://w3id.org/openmhealth|omh:blood-pressure:4.0'
    ).body as { total: number };
    assert.equal(one.total, 3);
    const bare = get('FHIR/R5/Observation?patient=40001&code=omh:blood-pressure:4.0').body as {
      total: number;
    };
    assert.equal(bare.total, 0);
    const capped = get(`FHIR/R5/Observation?patient._has:Group:member:_id=${study.id}&_count=5000`)
      .body as { entry: unknown[] };
    assert.equal(capped.entry.length, 53);
  });

  it('refuses studies and patients outside the view, and unknown paths, as JHE does', () => {
    assert.equal(get('api/v1/studies/99').status, 403);
    assert.equal(get('FHIR/R5/Observation?patient._has:Group:member:_id=99').status, 403);
    assert.equal(get('FHIR/R5/Observation?patient=12345').status, 403);
    assert.equal(get('api/v1/patients/12345').status, 404);
    assert.equal(get('api/v1/nothing').status, 404);
    assert.equal(get('api/v1/studies?page=7').status, 404);
  });
});
