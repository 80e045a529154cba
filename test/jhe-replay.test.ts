// HBroker's JHE client against the recorded answers of a real JupyterHealth Exchange, served back by a tiny
// replay server (test/jhe-contract/): paging links, error texts, payload decoding, and the snapshot check.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { HBrokerError } from '../hub-service/src/errors.js';
import { dataPointOf } from '../hub-service/src/data/dataset/tidy.js';
import {
  JheClient,
  jheFailure,
  JheRequestError,
  openObservation,
  readSnapshot,
  SearchChangedError
} from '../hub-service/src/data/jhe/index.js';
import type { FhirBundle, JheObservation } from '../hub-service/src/schema/index.js';
import { recorded, recordedExchanges, untrimmed } from './support/recording.js';

const recordedBase = 'http://127.0.0.1:8311';
const fast = { timeoutMs: 5000, retries: 0, backoffMs: 1 };
const snapshot = { pageSize: 1000, concurrency: 4, attempts: 1, backoffMs: 1 };

/** A request's identity: path and its query decoded and sorted (encodings and order do not matter). */
const keyOf = (path: string, query: Iterable<[string, string]>) =>
  `${path}?${[...query]
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('&')}`;

describe("HBroker's JHE client against the recorded exchange", () => {
  let server: Server;
  let base: string;
  const asked: string[] = [];
  before(async () => {
    const answers = new Map(
      recordedExchanges()
        .filter(e => e.request.method === 'GET')
        .map(e => [keyOf(e.request.path, Object.entries(e.request.query)), e] as const)
    );
    server = createServer((request, response) => {
      const url = new URL(request.url!, base);
      const key = keyOf(url.pathname, url.searchParams);
      asked.push(key);
      const e = answers.get(key);
      if (!e) {
        response.writeHead(599, { 'Content-Type': 'text/plain' });
        response.end(`not recorded: ${key}`);
        return;
      }
      const type = e.response.headers['content-type'];
      // Recorded links name the recording's server; they are served as this one's.
      const text =
        typeof e.response.body === 'string' || e.response.body === null
          ? String(e.response.body ?? '<html>not recorded</html>')
          : JSON.stringify(e.response.body).replaceAll(recordedBase, base.replace(/\/$/, ''));
      response.writeHead(e.response.status, { 'Content-Type': type });
      response.end(text);
    });
    await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  after(() => new Promise<void>(done => server.close(() => done())));

  const client = () => new JheClient(base, '<token of manager_mary>', fast);

  it('follows DRF next links to the last page', async () => {
    const ids: number[] = [];
    for await (const p of client().list<{ id: number }>('api/v1/patients', { study_id: 30006 })) {
      ids.push(p.id);
    }
    // Pages 1 and 2 are trimmed to their first and last patients in the recording.
    assert.deepEqual(ids, [40006, 40025, 40026, 40032]);
    assert.deepEqual(asked.slice(-2), [
      '/api/v1/patients?study_id=30006',
      '/api/v1/patients?page=2&study_id=30006'
    ]);
  });

  it('reads the error sentence of a REST error and of a FHIR OperationOutcome', async () => {
    await assert.rejects(
      client().get('api/v1/studies/30003'),
      (e: JheRequestError) =>
        e.status === 403 &&
        e.detail === 'Current User does not have authorization to access this Study.'
    );
    await assert.rejects(
      client().get('FHIR/R5/Observation', {
        'patient._has:Group:member:_id': 30003,
        _count: 1000
      }),
      (e: JheRequestError) =>
        e.status === 403 &&
        e.detail === 'Current user is not authorized to access Group/30003.' &&
        (jheFailure(e, '30003') as HBrokerError).code === 'jhe_forbidden'
    );
    await assert.rejects(
      client().get('FHIR/R5/Observation', { patient: 'Patient/40001', _count: 1000 }),
      (e: JheRequestError) =>
        e.status === 422 && e.detail === "Field 'id' expected a number but got 'Patient/40001'."
    );
  });

  it('reads a whole recorded search as a snapshot, in the recorded order', async () => {
    const e = recorded('fhir-10-code-01-heart-rate-30001.json');
    assert.ok(untrimmed(e));
    const read = await readSnapshot<JheObservation>(
      client(),
      'Observation',
      {
        'patient._has:Group:member:_id': 30001,
        code: 'https://w3id.org/openmhealth|omh:heart-rate:2.0'
      },
      snapshot
    );
    assert.deepEqual(
      read.map(o => o.id),
      (e.response.body as FhirBundle).entry.map(x => (x.resource as { id: string }).id)
    );
  });

  it('never takes a read that holds fewer records than its total (the trimmed recorded walk)', async () => {
    // fhir-04: the first of 46 pages, trimmed to 5 of its 1000 entries; the pages after it are not
    // recorded as such, so the walk cannot add up to 45,300.
    await assert.rejects(
      readSnapshot(client(), 'Observation', { 'patient._has:Group:member:_id': 30006 }, snapshot),
      (e: unknown) => e instanceof SearchChangedError || e instanceof JheRequestError
    );
    const small = await client().get<FhirBundle>('FHIR/R5/Observation', {
      'patient._has:Group:member:_id': 30001,
      _count: 1000
    });
    assert.equal(small.total, 8);
    await assert.rejects(
      readSnapshot(client(), 'Observation', { 'patient._has:Group:member:_id': 30001 }, snapshot),
      (e: SearchChangedError) => /held 5 of 8 records/.test(e.message)
    );
  });

  it('decodes every recorded payload, and refuses the recorded CommonHealth envelope without a key', () => {
    let plaintext = 0;
    for (const e of recordedExchanges('fhir-')) {
      const body = e.response.body as FhirBundle | null;
      for (const { resource } of body?.resourceType === 'Bundle' ? body.entry : []) {
        const o = resource as unknown as JheObservation;
        if (o.resourceType !== 'Observation') {
          continue;
        }
        if (o.id === '105312') {
          assert.throws(
            () => openObservation(o, undefined, '30001'),
            (err: HBrokerError) => err.code === 'no_partner_key' && /Study 30001/.test(err.message)
          );
          continue;
        }
        assert.equal(openObservation(o, undefined, '30001'), o, 'plaintext passes through');
        const point = dataPointOf(o);
        assert.ok(point.header && point.body, `${e.file} ${o.id}`);
        plaintext += 1;
      }
    }
    assert.ok(plaintext > 100, `${plaintext} recorded Observations decoded`);
  });
});
