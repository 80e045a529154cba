import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { signIn, startDevExchange, type IDevExchange } from '../../dev-exchange/index.js';
import { HBrokerError } from '../../errors.js';
import { layout, readStagedStudy } from '../dataset/index.js';
import { generatePartnerKeysets, parseKeyset } from '../tink/index.js';
import { JheClient, JheRequestError } from './client.js';
import { JheDataSource } from './source.js';
import { SyntheticStudies } from '../synthetic-exchange.js';

const keys = generatePartnerKeysets();
const partner = parseKeyset(keys.privateKeyset);
const password = 'dev-password-for-tests';
const fast = { timeoutMs: 5000, retries: 2, backoffMs: 10 };

describe('the JHE data source against the dev exchange', () => {
  let jhe: IDevExchange;
  let root: string;
  const tokenOf = async (user: string) => (await signIn(jhe, user, password)).access_token;
  let onRequest: ((url: URL) => void) | undefined;
  const caller = (token: string | undefined) => ({ user: 'u', jheToken: async () => token });

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'hbroker-jhe-'));
    jhe = await startDevExchange({
      host: '127.0.0.1',
      port: 0,
      password,
      partnerPublic: parseKeyset(keys.publicKeyset),
      patients: 4,
      perPatientPerCode: 300,
      seed: 'test',
      onRequest: url => onRequest?.(url)
    });
  });
  after(async () => {
    await jhe.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the studies a token may see, with their codes and patient counts', async () => {
    const source = new JheDataSource({ url: jhe.url, partnerKeyset: partner, client: fast });
    const studies = await source.studies(caller(await tokenOf('researcher')));
    assert.deepEqual(
      studies.map(s => [s.id, s.codes, s.patients]),
      [
        ['30001', ['omh:heart-rate:2.0', 'omh:blood-pressure:4.0', 'QuestionnaireResponse'], 4],
        ['30002', ['omh:blood-glucose:4.0', 'omh:step-count:3.0'], 4]
      ]
    );
    assert.deepEqual(await source.studies(caller(await tokenOf('outsider'))), []);
    assert.equal(await source.has('30001', caller(await tokenOf('researcher'))), true);
    assert.equal(await source.has('30001', caller(await tokenOf('outsider'))), false);
    assert.equal(await source.has('demo', caller(await tokenOf('researcher'))), false);
  });

  it('stages a study across FHIR pages, decrypting every CommonHealth record', async () => {
    const served = jhe.data.observations.filter(o =>
      jhe.data.studies[0].patientIds.includes(Number(o.subject.reference.slice(8)))
    );
    assert.ok(served.length > 1000, 'more than one FHIR page');
    assert.ok(
      'encrypted_dek' in
        JSON.parse(Buffer.from(served[0].valueAttachment.data, 'base64').toString()),
      'the exchange serves envelopes'
    );
    const source = new JheDataSource({ url: jhe.url, partnerKeyset: partner, client: fast });
    const dir = join(root, 'staged');
    const staged = await source.stage('30001', dir, caller(await tokenOf('researcher')));
    assert.deepEqual(staged.records, {
      patients: 4,
      observations: served.length,
      questionnaireResponses: 16,
      counts: {
        Observation: { 'omh:heart-rate:2.0': 1200, 'omh:blood-pressure:4.0': 1200 },
        QuestionnaireResponse: { 'Questionnaire/weekly-symptom-severity-vas': 16 }
      }
    });
    const data = readStagedStudy(dir);
    assert.equal(data.observations.length, served.length);
    const point = JSON.parse(
      Buffer.from(data.observations[0].valueAttachment.data, 'base64').toString()
    );
    assert.ok(point.header && point.body, 'plaintext Open mHealth');
    assert.match(
      readFileSync(join(dir, layout.csv('omh:heart-rate:2.0')), 'utf8'),
      /heart_rate_value/
    );
  });

  it('stages synthetic data for the preflight from the study outline only, in the same layout', async () => {
    const synthetic = new SyntheticStudies({ max_patients: 3, per_patient_per_code: 5, days: 7 });
    const source = new JheDataSource({
      url: jhe.url,
      partnerKeyset: partner,
      client: fast,
      synthetic
    });
    const dir = join(root, 'synthetic');
    const staged = await source.stageSynthetic('30001', dir, caller(await tokenOf('researcher')));
    // Capped at 3 of the study's 4 patients; 5 readings each of its 2 codes; one week of questionnaires.
    assert.deepEqual(staged?.records, {
      patients: 3,
      observations: 3 * 2 * 5,
      questionnaireResponses: 3,
      counts: {
        Observation: { 'omh:heart-rate:2.0': 15, 'omh:blood-pressure:4.0': 15 },
        QuestionnaireResponse: { 'Questionnaire/weekly-symptom-severity-vas': 3 }
      }
    });
    const data = readStagedStudy(dir);
    assert.equal(data.meta.source, 'synthetic');
    const real = new Set(jhe.data.observations.map(o => o.id));
    assert.ok(
      data.observations.every(o => !real.has(o.id)),
      'no record of the exchange'
    );
    assert.match(
      readFileSync(join(dir, layout.csv('omh:heart-rate:2.0')), 'utf8'),
      /heart_rate_value/
    );
    const without = new JheDataSource({ url: jhe.url, partnerKeyset: partner, client: fast });
    assert.equal(
      await without.stageSynthetic(
        '30001',
        join(root, 'none'),
        caller(await tokenOf('researcher'))
      ),
      undefined
    );
  });

  /** The oldest records of study 30001, which an offset read reaches last. */
  const oldest = (n: number) =>
    jhe.data.observations
      .filter(o => jhe.data.studies[0].patientIds.includes(Number(o.subject.reference.slice(8))))
      .sort((a, b) => a.meta!.lastUpdated!.localeCompare(b.meta!.lastUpdated!))
      .slice(0, n)
      .map(o => o.id);
  const studyReads = () => {
    const reads: string[] = [];
    onRequest = url => {
      if (url.pathname === '/FHIR/R5/Observation' && !url.searchParams.has('_page')) {
        reads.push(url.searchParams.get('_count')!);
      }
    };
    return reads;
  };
  const snapshot = { pageSize: 1000, concurrency: 2, attempts: 3, backoffMs: 5 };

  it('reads the study again when records are updated mid-read, and stages each record once', async () => {
    const source = new JheDataSource({
      url: jhe.url,
      partnerKeyset: partner,
      client: fast,
      snapshot
    });
    const all = new Set(
      jhe.data.observations
        .filter(o => jhe.data.studies[0].patientIds.includes(Number(o.subject.reference.slice(8))))
        .map(o => o.id)
    );
    const reads = studyReads();
    const hook = onRequest!;
    let touched = false;
    // As recorded on the real JHE: 50 records not read yet are updated while page 2 is asked for.
    onRequest = url => {
      hook(url);
      if (!touched && url.searchParams.get('_page') === '2') {
        touched = true;
        jhe.touch(oldest(50));
      }
    };
    const dir = join(root, 'changed-once');
    const staged = await source.stage('30001', dir, caller(await tokenOf('researcher')));
    onRequest = undefined;
    assert.ok(touched);
    assert.equal(reads.filter(c => c === '1000').length, 2, 'the first read was thrown away');
    const ids = readStagedStudy(dir).observations.map(o => o.id);
    assert.equal(ids.length, all.size);
    assert.deepEqual(new Set(ids), all, 'every record once, none lost');
    assert.equal(staged.records?.observations, all.size);
  });

  it('fails the job with a sentence when the study keeps changing while it is read', async () => {
    const source = new JheDataSource({
      url: jhe.url,
      partnerKeyset: partner,
      client: fast,
      snapshot
    });
    const reads = studyReads();
    const hook = onRequest!;
    onRequest = url => {
      hook(url);
      if (url.searchParams.get('_page') === '2') {
        jhe.touch(oldest(50));
      }
    };
    const dir = join(root, 'always-changing');
    await assert.rejects(
      source.stage('30001', dir, caller(await tokenOf('researcher'))),
      (e: HBrokerError) =>
        e.code === 'study_changed_during_staging' &&
        /^Study 30001 changed while HBroker was reading it .*on each of 3 reads\. Submit again when/.test(
          e.message
        )
    );
    onRequest = undefined;
    assert.equal(reads.length, 3, 'bounded: three reads, then it gives up');
    assert.equal(existsSync(dir), false, 'nothing of the study was written');
  });

  it('fails the whole study, naming the record, when a record was not made for this key', async () => {
    const other = parseKeyset(generatePartnerKeysets().privateKeyset);
    const source = new JheDataSource({ url: jhe.url, partnerKeyset: other, client: fast });
    await assert.rejects(
      source.stage('30001', join(root, 'wrong-key'), caller(await tokenOf('researcher'))),
      (e: HBrokerError) =>
        e.code === 'undecryptable_record' && /Observation \d+ of study 30001/.test(e.message)
    );
    const plainOnly = new JheDataSource({ url: jhe.url, client: fast });
    await assert.rejects(
      plainOnly.stage('30001', join(root, 'no-key'), caller(await tokenOf('researcher'))),
      (e: HBrokerError) => e.code === 'no_partner_key'
    );
  });

  it('turns 401, 403 and 404 into failures that name the study and what to do', async () => {
    const source = new JheDataSource({ url: jhe.url, partnerKeyset: partner, client: fast });
    await assert.rejects(
      source.stage('30001', join(root, 'x'), caller('not-a-token')),
      (e: HBrokerError) =>
        e.code === 'jhe_unauthorized' && /study 30001.*log in again/i.test(e.message)
    );
    await assert.rejects(
      source.stage('30001', join(root, 'y'), caller(await tokenOf('outsider'))),
      (e: HBrokerError) => e.code === 'jhe_forbidden' && /study 30001/.test(e.message)
    );
    await assert.rejects(
      source.stage('30001', join(root, 'z'), caller(undefined)),
      (e: HBrokerError) => e.code === 'jhe_token_missing'
    );
  });
});

describe('the JHE client', () => {
  let server: Server;
  let url: string;
  let hits: string[] = [];
  const answers: Record<string, number[]> = {};
  before(async () => {
    server = createServer((request, response) => {
      const path = new URL(request.url!, 'http://x').pathname;
      hits.push(path);
      const status = answers[path]?.shift() ?? 200;
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(status === 200 ? { ok: path } : { detail: `status ${status}` }));
    });
    await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  after(() => new Promise<void>(done => server.close(() => done())));

  it('retries 5xx with backoff and never retries a 4xx', async () => {
    hits = [];
    answers['/api/v1/flaky'] = [503, 502];
    const client = new JheClient(url, 't', fast);
    assert.deepEqual(await client.get('api/v1/flaky'), { ok: '/api/v1/flaky' });
    assert.equal(hits.length, 3);
    hits = [];
    answers['/api/v1/gone'] = [404];
    await assert.rejects(client.get('api/v1/gone'), (e: JheRequestError) => e.status === 404);
    assert.equal(hits.length, 1);
    hits = [];
    answers['/api/v1/down'] = [500, 500, 500, 500];
    await assert.rejects(client.get('api/v1/down'), (e: JheRequestError) => e.status === 500);
    assert.equal(hits.length, 3, 'one try and two retries');
  });

  it('never sends the token to a host a link names', async () => {
    const client = new JheClient(url, 't', fast);
    await assert.rejects(client.get('http://127.0.0.2:9/api/v1/studies'), /left the exchange/);
  });
});
