// hbroker doctor's JHE lines: HBroker's own identity, and whether researchers' own tokens read studies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../config/index.js';
import { signIn, startDevExchange, type IDevExchange } from '../dev-exchange/index.js';
import { dataChecks } from './doctor.js';
import { openCommonHealthRecord, generatePartnerKeysets, parseKeyset } from './tink/index.js';

const keys = generatePartnerKeysets();
const password = 'doctor-test';

describe('hbroker doctor on a JupyterHealth Exchange', () => {
  let jhe: IDevExchange;
  let dir: string;
  const secret = (name: string, value: string) => {
    const path = join(dir, name);
    writeFileSync(path, value, { mode: 0o600 });
    return path;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hbroker-doctor-'));
    jhe = await startDevExchange({
      host: '127.0.0.1',
      port: 0,
      password,
      partnerPublic: parseKeyset(keys.publicKeyset),
      patients: 2,
      perPatientPerCode: 5,
      seed: 'doctor'
    });
    // Study 30002 in plaintext, as every study on today's real JHE is; 30001 stays CommonHealth-encrypted.
    const partner = parseKeyset(keys.privateKeyset);
    const plain = new Set(jhe.data.studies.find(s => s.study.id === 30002)!.patientIds);
    jhe.data.observations = jhe.data.observations.map(o =>
      plain.has(Number(o.subject.reference.slice(8)))
        ? {
            ...o,
            valueAttachment: {
              contentType: 'application/json',
              data: openCommonHealthRecord(
                partner,
                JSON.parse(Buffer.from(o.valueAttachment.data, 'base64').toString())
              ).toString('base64')
            }
          }
        : o
    );
  });
  after(async () => {
    await jhe.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("warns per study and user when a researcher's own token reads plaintext; checks HBroker's own client", async () => {
    const admin = (await signIn(jhe, 'admin', password)).access_token;
    const made = await fetch(new URL('api/v1/practitioner_clients', jhe.url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ label: 'hbroker' })
    });
    const { key } = (await made.json()) as { key: string };
    const config = parseConfig(
      {
        data: {
          kind: 'jhe',
          jhe: {
            url: jhe.url,
            identity: 'broker',
            client_key_file: secret('client.key', key),
            grants: [
              { study: '30001', users: ['outsider'] },
              { study: '30002', users: ['outsider'] },
              { study: '30009', users: ['outsider'] }
            ],
            token_files: {
              researcher: secret(
                'researcher.token',
                (await signIn(jhe, 'researcher', password)).access_token
              ),
              outsider: secret(
                'outsider.token',
                (await signIn(jhe, 'outsider', password)).access_token
              ),
              gone: secret('gone.token', 'revoked-long-ago')
            }
          }
        }
      },
      dir
    );
    const lines = await dataChecks(config);
    const find = (pattern: RegExp) => lines.filter(([, text]) => pattern.test(text));
    assert.deepEqual(
      find(/acts as/).map(([ok]) => ok),
      [true]
    );
    assert.match(find(/acts as/)[0][1], /admin@example\.org/);
    assert.deepEqual(
      find(/granted study 3000[12]/).map(([ok]) => ok),
      [true, true]
    );
    assert.deepEqual(
      find(/granted study 30009/).map(([ok]) => ok),
      [false],
      'a grant HBroker cannot read fails'
    );
    assert.deepEqual(find(/cannot protect/), [
      [
        'warn',
        'HBroker cannot protect study 30002 from user researcher: their own JHE token reads its Observations in plaintext (see "Set JHE up so researchers cannot read studies" in the README)'
      ]
    ]);
    assert.deepEqual(
      find(/user researcher's own JHE token reads study 30001 only as CommonHealth ciphertext/)
        .length,
      1
    );
    assert.deepEqual(
      find(/user outsider's own JHE token cannot read study/).map(([ok]) => ok),
      [true, true, true]
    );
    assert.deepEqual(
      find(/could not check user gone/).map(([ok]) => ok),
      ['warn']
    );
  });
});
