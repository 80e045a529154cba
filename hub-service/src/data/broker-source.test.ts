import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { signIn, startDevExchange, type IDevExchange } from '../dev-exchange/index.js';
import { HBrokerError } from '../errors.js';
import { BrokerIdentitySource } from './broker-source.js';
import { byHubUser, throughBrokerGrants } from './exchange-access.js';
import { StudyGrants } from './grants.js';
import { BrokerToken, parseClientKey } from './jhe/broker-token.js';
import { JheDataSource } from './jhe/index.js';
import { SyntheticExchange, SyntheticStudies } from './synthetic-exchange.js';
import { generatePartnerKeysets, parseKeyset } from './tink/index.js';

const keys = generatePartnerKeysets();
const password = 'broker-identity-test';
const fast = { timeoutMs: 5000, retries: 1, backoffMs: 10 };
const caller = (user: string) => ({ user, jheToken: async () => undefined });

describe("HBroker's own JHE identity (data.jhe.identity broker)", () => {
  let jhe: IDevExchange;
  let root: string;
  let key: string;
  let adminToken: string;
  let clientId: number;
  const grants = new StudyGrants(
    [
      { study: '30001', users: ['outsider'], groups: [] },
      { study: '30002', users: [], groups: ['glucose-team'] }
    ],
    { groupsOf: async user => (user === 'researcher2' ? ['glucose-team'] : []) }
  );
  const source = () =>
    new BrokerIdentitySource(
      new JheDataSource({
        url: jhe.url,
        partnerKeyset: parseKeyset(keys.privateKeyset),
        client: fast
      }),
      new BrokerToken(jhe.url, key),
      grants
    );

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'hbroker-broker-'));
    jhe = await startDevExchange({
      host: '127.0.0.1',
      port: 0,
      password,
      partnerPublic: parseKeyset(keys.publicKeyset),
      patients: 3,
      perPatientPerCode: 20,
      seed: 'broker'
    });
    // HBroker's account: a practitioner of the studies' organization makes a client for it, as in JHE.
    adminToken = (await signIn(jhe, 'admin', password)).access_token;
    const created = await fetch(new URL('api/v1/practitioner_clients', jhe.url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ label: 'hbroker' })
    });
    const body = (await created.json()) as { id: number; key: string };
    key = body.key;
    clientId = body.id;
  });
  after(async () => {
    await jhe.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('gets its token by OIDC discovery and client credentials, and keeps it while it is valid', async () => {
    const token = new BrokerToken(jhe.url, key);
    const [a, b] = await Promise.all([token.get(), token.get()]);
    assert.equal(a, b, 'one grant for both');
    assert.equal(await token.get(), a, 'kept');
    assert.equal(
      jhe.oauth.userFor(a)?.username,
      'admin',
      'acts as the practitioner who owns the client'
    );
    token.invalidate(a);
    assert.notEqual(await token.get(), a, 'a refused token is replaced');
  });

  it('lets a researcher use exactly the studies HBroker grants them, by user or group', async () => {
    const outsiderOwn = (await signIn(jhe, 'outsider', password)).access_token;
    const direct = await fetch(new URL('api/v1/studies/30001', jhe.url), {
      headers: { Authorization: `Bearer ${outsiderOwn}` }
    });
    assert.equal(direct.status, 403, "the outsider's own JHE account cannot read the study");
    const s = source();
    assert.deepEqual(
      (await s.studies(caller('outsider'))).map(x => x.id),
      ['30001']
    );
    assert.deepEqual(
      (await s.studies(caller('researcher2'))).map(x => x.id),
      ['30002']
    );
    assert.deepEqual(
      await s.studies(caller('researcher')),
      [],
      'a JHE member without a grant gets nothing'
    );
    assert.equal(await s.has('30001', caller('outsider')), true);
    assert.equal(await s.has('30002', caller('outsider')), false);
    const staged = await s.stage('30001', join(root, 'granted'), caller('outsider'));
    assert.equal(staged.records?.patients, 3);
    await assert.rejects(
      s.stage('30002', join(root, 'not-granted'), caller('outsider')),
      (e: HBrokerError) => e.code === 'study_not_granted' && /data\.jhe\.grants/.test(e.message)
    );
  });

  it("shows each hub user only their granted studies in the synthetic exchange, by HBroker's account", async () => {
    const exchange = new SyntheticExchange(
      jhe.url,
      fast,
      new SyntheticStudies({ max_patients: 2, per_patient_per_code: 2, days: 3 }),
      1
    );
    const hubUsers: Record<string, string> = {
      'hub-token-o': 'outsider',
      'hub-token-r2': 'researcher2'
    };
    const resolver = byHubUser(
      async token => hubUsers[token],
      throughBrokerGrants(exchange, new BrokerToken(jhe.url, key), grants)
    );
    assert.deepEqual([...(await resolver.resolve('hub-token-o'))!.studies.keys()], [30001]);
    assert.deepEqual([...(await resolver.resolve('hub-token-r2'))!.studies.keys()], [30002]);
    assert.equal(await resolver.resolve('not-a-hub-token'), undefined);
  });

  it('says an admin must fix its client when the exchange refuses HBroker itself', async () => {
    const bad = Buffer.from('nobody:wrong-secret').toString('base64');
    const s = new BrokerIdentitySource(
      new JheDataSource({ url: jhe.url, client: fast }),
      new BrokerToken(jhe.url, bad),
      grants
    );
    await assert.rejects(
      s.studies(caller('outsider')),
      (e: HBrokerError) => e.code === 'jhe_broker_refused' && /client_key_file/.test(e.message)
    );
    assert.throws(
      () => parseClientKey('not base64 of id and secret'),
      (e: HBrokerError) => e.code === 'bad_config'
    );
    // The client deleted in JHE: its token dies; HBroker asks anew once, then says what is wrong.
    const s2 = source();
    assert.equal((await s2.studies(caller('outsider'))).length, 1);
    const gone = await fetch(new URL(`api/v1/practitioner_clients/${clientId}`, jhe.url), {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${adminToken}` }
    });
    assert.equal(gone.status, 204);
    await assert.rejects(
      s2.studies(caller('outsider')),
      (e: HBrokerError) => e.code === 'jhe_broker_refused'
    );
  });
});
