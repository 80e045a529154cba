// Contract tests from the recording of a real JupyterHealth Exchange (test/jhe-contract/): every recorded
// REST and FHIR exchange is replayed against the dev exchange, the synthetic exchange and the in-run
// facade; every recorded body validates against schema/; HBroker's JHE client reads the recorded answers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { questionnairePatientOf } from '../hub-service/src/data/facade/index.js';
import type {
  FhirBundle,
  JheObservation,
  JhePage,
  JheQuestionnaireResponse
} from '../hub-service/src/schema/index.js';
import { checkBody, replay } from './support/contract.js';
import { startExchanges, type IExchanges, type IServerUnderTest } from './support/exchanges.js';
import { recordedExchanges } from './support/recording.js';

const exchanges = [...recordedExchanges('rest-'), ...recordedExchanges('fhir-')];

/** Where one of our servers cannot answer as the recorded JHE did, and why. */
const cannotMatch: Record<string, Record<string, string>> = {
  '*': {
    'fhir-03-smart-configuration.json':
      'SMART discovery belongs to sign-in (the OAuth side of the exchange), not to the data API these servers answer',
    'rest-26-patient-other-organization.json':
      "JHE shows any patient's record to a practitioner (README difference 7); our servers only know the patients whose data the token may read, so another organization's patient is 404 No Patient matches"
  },
  'in-run facade': {
    'rest-36-studies-list-other-user.json':
      'a run has one user (its per-run token); there is no other user to ask as',
    'rest-37-study-forbidden-other-user.json':
      'a run has one user (its per-run token); there is no other user to ask as',
    'rest-38-users-profile-other-user.json':
      'a run has one user (its per-run token); there is no other user to ask as'
  }
};

const why = (server: string, file: string) => cannotMatch[server]?.[file] ?? cannotMatch['*'][file];

describe('the recording validates against schema/', () => {
  for (const e of exchanges) {
    it(`${e.file}: ${e.response.status}`, () => {
      if (typeof e.response.body === 'object' && e.response.body !== null) {
        assert.ok(checkBody(e.request.path, e.response.status, e.response.body));
      } else {
        assert.match(e.response.headers['content-type'], /^text\/html/, 'only HTML is unchecked');
      }
    });
  }
});

describe('every recorded exchange, replayed against our JHE look-alikes', () => {
  let started: IExchanges;
  before(async () => {
    started = await startExchanges();
  });
  after(() => started.stop());

  for (const name of ['dev exchange', 'synthetic exchange', 'in-run facade']) {
    describe(name, () => {
      for (const e of exchanges) {
        const skip = why(name, e.file);
        it(`${e.file}: ${e.name}`, { skip }, async () => {
          const server = started.servers.find(s => s.name === name)!;
          assert.deepEqual(await replay(e, server), [], `${e.request.target} (${e.why})`);
        });
      }
    });
  }
});

/** One numbered difference of the recording's README: the files that show it, and what else to check. */
interface IDifference {
  n: number;
  what: string;
  files: string[];
  check?: (server: IServerUnderTest) => Promise<void>;
}

/** GET as the server's user, another token, or (null) none. */
const get = (server: IServerUnderTest, target: string, token: string | null = server.token) =>
  fetch(new URL(target, server.base), {
    headers: token ? { Authorization: `Bearer ${token}` } : {}
  });

const bundleOf = async (server: IServerUnderTest, target: string) =>
  (await (await get(server, target)).json()) as FhirBundle;

// README differences 17 to 24 are about sign-in (OAuth/OIDC), which these data servers do not answer.
const differences: IDifference[] = [
  {
    n: 1,
    what: 'REST errors are {"detail"}, FHIR errors an OperationOutcome for 401, 403, 404 and 422',
    files: ['rest-09', 'rest-16', 'rest-25', 'rest-32', 'fhir-07', 'fhir-21', 'fhir-30', 'fhir-34']
  },
  {
    n: 2,
    what: 'every JSON answer, FHIR included, is application/json',
    files: ['fhir-04', 'fhir-07', 'fhir-36']
  },
  {
    n: 3,
    what: 'REST 401 has a Bearer challenge (invalid_token when one was sent); FHIR 401 has none',
    files: ['rest-32', 'rest-33', 'fhir-34', 'fhir-35'],
    async check(server) {
      const none = await get(server, 'api/v1/users/profile', null);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="api"');
      const bad = await get(server, 'api/v1/users/profile', 'not-a-token');
      assert.match(bad.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
      const fhir = await get(server, 'FHIR/R5/Observation', 'not-a-token');
      assert.equal(fhir.status, 401);
      assert.equal(fhir.headers.get('www-authenticate'), null);
    }
  },
  {
    n: 4,
    what: 'unknown paths, a trailing slash and a lowercase fhir path are HTML 404s; an unknown FHIR type is JSON',
    files: ['rest-30', 'rest-31', 'fhir-33', 'fhir-38']
  },
  {
    n: 5,
    what: 'a study of another organization and one that does not exist are both 403',
    files: ['rest-09', 'rest-10']
  },
  {
    n: 6,
    what: 'FHIR: other or unknown study and patient are 403 (Group/…, Patient/…); an unknown Observation read is 404',
    files: ['fhir-24', 'fhir-25', 'fhir-30', 'fhir-31', 'fhir-37', 'fhir-44']
  },
  {
    n: 7,
    what: "an unknown patient is 404; patients of another organization's study are an empty page",
    files: ['rest-22', 'rest-25']
  },
  {
    n: 8,
    what: 'a bare code matches nothing, "<system>|" filters nothing, unknown codes give an empty Bundle',
    files: ['fhir-12', 'fhir-13', 'fhir-14', 'fhir-15']
  },
  {
    n: 9,
    what: 'sleep stage summary is stored under https://w3id.org/ieee1752, not the Open mHealth system',
    files: ['fhir-10-code-06', 'fhir-11'],
    async check(server) {
      const [study] = [...server.view.studies.keys()];
      const omh = await bundleOf(
        server,
        `FHIR/R5/Observation?patient._has:Group:member:_id=${study}&code=https://w3id.org/openmhealth|ieee:sleep-stage-summary:1.0`
      );
      assert.equal(omh.total, 0);
    }
  },
  {
    n: 10,
    what: 'patient=Patient/<id> is 422',
    files: ['fhir-21']
  },
  {
    n: 11,
    what: 'a search without study or patient returns everything the token may read',
    files: ['fhir-32']
  },
  {
    n: 12,
    what: 'the client\'s percent-encoded first request and its literal-":" follow-ups answer alike',
    files: ['fhir-04', 'fhir-05'],
    async check(server) {
      const study = server.ids['30006'];
      const encoded = await bundleOf(
        server,
        `FHIR/R5/Observation?patient._has%3AGroup%3Amember%3A_id=${study}&code=https%3A%2F%2Fw3id.org%2Fopenmhealth%7C&_count=7&_page=2`
      );
      const literal = await bundleOf(
        server,
        `FHIR/R5/Observation?_count=7&_page=2&code=https://w3id.org/openmhealth|&patient._has:Group:member:_id=${study}`
      );
      assert.deepEqual(
        literal.entry.map(e => (e.resource as { id: string }).id),
        encoded.entry.map(e => (e.resource as { id: string }).id)
      );
      assert.equal(literal.total, encoded.total);
    }
  },
  {
    n: 13,
    what: 'valueAttachment is application/json, standard base64 on one line, of a JSON object',
    files: ['fhir-04', 'fhir-36'],
    async check(server) {
      const bundle = await bundleOf(server, 'FHIR/R5/Observation?_count=1000');
      for (const { resource } of bundle.entry) {
        const { contentType, data } = (resource as JheObservation).valueAttachment;
        assert.equal(contentType, 'application/json');
        assert.match(data, /^[A-Za-z0-9+/]+={0,2}$/);
        assert.equal(kindOf(JSON.parse(Buffer.from(data, 'base64').toString())), 'object');
      }
    }
  },
  {
    n: 14,
    what: 'FHIR ids are strings, REST ids integers; subject has reference and the JHE user id; meta.source is JHE',
    files: ['fhir-36', 'rest-23', 'rest-35'],
    async check(server) {
      const [first] = (await bundleOf(server, 'FHIR/R5/Observation')).entry;
      const o = first.resource as JheObservation;
      assert.equal(typeof o.id, 'string');
      assert.match(o.subject.reference, /^Patient\/\d+$/);
      assert.equal(
        o.subject.identifier?.system,
        'https://jupyterhealth.org/fhir/identifier/jhe-user-id'
      );
      assert.equal(o.meta?.source, 'https://jupyterhealth.org/jhe');
      const rest = (await (await get(server, 'api/v1/observations')).json()) as JhePage;
      assert.equal(typeof (rest.results[0] as { id: unknown }).id, 'number');
    }
  },
  {
    n: 15,
    what: 'QuestionnaireResponses: UUID ids, a FHIR source, no lastUpdated, the JHE patient id in an extension',
    files: ['fhir-40', 'fhir-41', 'fhir-42', 'fhir-45', 'fhir-46'],
    async check(server) {
      const bundle = await bundleOf(
        server,
        `FHIR/R5/QuestionnaireResponse?patient._has:Group:member:_id=${server.ids['30001']}`
      );
      assert.ok(bundle.total! > 0);
      for (const { resource } of bundle.entry) {
        const r = resource as JheQuestionnaireResponse;
        assert.match(r.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.match(r.meta!.source!, /^https:\/\/jupyterhealth\.org\/fhir\/fhir-source\//);
        assert.equal(r.meta!.lastUpdated, undefined);
        assert.ok(questionnairePatientOf(r));
      }
    }
  },
  {
    n: 16,
    what: 'users/profile carries settings (web-UI state)',
    files: ['rest-01']
  }
];

const kindOf = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v);

describe("the recording README's numbered differences, on each of our servers", () => {
  let started: IExchanges;
  before(async () => {
    started = await startExchanges();
  });
  after(() => started.stop());

  for (const d of differences) {
    it(`${d.n}. ${d.what}`, async () => {
      for (const server of started.servers) {
        for (const prefix of d.files) {
          const e = exchanges.find(x => x.file.startsWith(`${prefix}-`))!;
          assert.ok(e, prefix);
          if (!why(server.name, e.file)) {
            assert.deepEqual(await replay(e, server), [], `${server.name}: ${e.file}`);
          }
        }
        await d.check?.(server);
      }
    });
  }
});
