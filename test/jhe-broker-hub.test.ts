// Broker identity inside a real JupyterHub: HBroker reads the exchange with its own practitioner client,
// and its grants (here by hub group) decide who sees which study, not the researcher's own JHE account.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { signIn } from '../hub-service/src/dev-exchange/index.js';
import { Browser } from './support/browser.js';
import { startHub, type IHub } from './support/hub.js';
import { repoRoot } from './support/service.js';
import { signInToHub, startTestExchange, type ITestExchange } from './support/jhe.js';

describe("HBroker's own JHE identity inside JupyterHub", () => {
  let exchange: ITestExchange;
  let hub: IHub;

  before(async () => {
    exchange = await startTestExchange(3, 10);
    const admin = (await signIn(exchange.jhe, 'admin', exchange.password)).access_token;
    const made = await fetch(new URL('api/v1/practitioner_clients', exchange.url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ label: 'hbroker' })
    });
    const clientKeyFile = join(exchange.dir, 'hbroker-client.key');
    writeFileSync(clientKeyFile, ((await made.json()) as { key: string }).key, { mode: 0o600 });
    hub = await startHub({
      jhe: {
        url: exchange.url,
        partnerKeyset: exchange.partnerKeyset,
        registerClient: exchange.registerClient,
        broker: { clientKeyFile, grants: [{ study: '30001', groups: ['cardio'] }] }
      },
      groups: { cardio: ['outsider'] }
    });
  });
  after(async () => {
    await hub?.stop();
    await exchange?.stop();
  });

  const studiesOf = async (user: string) => {
    await signInToHub(new Browser(), hub.url, exchange, user);
    const { token } = await hub.tokenFor(`${user}@example.org`);
    const listed = await fetch(`${hub.serviceUrl}/api/v1/studies`, {
      headers: { Authorization: `token ${token}` }
    });
    assert.equal(listed.status, 200, await listed.clone().text());
    // What jupyterhealth-client in their server would see, with a hub token as JHE_TOKEN.
    const synthetic = await fetch(`${hub.serviceUrl}/jhe/api/v1/studies`, {
      headers: { Authorization: `Bearer ${token}` }
    });
    return {
      service: ((await listed.json()) as { studies: { id: string }[] }).studies.map(s => s.id),
      synthetic:
        synthetic.status === 200
          ? ((await synthetic.json()) as { results: { id: number }[] }).results.map(s => s.id)
          : synthetic.status
    };
  };

  it('grants a study by hub group to a user whose own JHE account cannot read it', async () => {
    const own = (await signIn(exchange.jhe, 'outsider', exchange.password)).access_token;
    const direct = await fetch(new URL('api/v1/studies/30001', exchange.url), {
      headers: { Authorization: `Bearer ${own}` }
    });
    assert.equal(direct.status, 403);
    assert.deepEqual(await studiesOf('outsider'), { service: ['30001'], synthetic: [30001] });
  });

  it('gives a JHE member without a grant no study, whatever their own account reads', async () => {
    assert.deepEqual(await studiesOf('researcher'), { service: [], synthetic: [] });
  });

  it("hbroker doctor checks HBroker's client and every hub user's own JHE token against each granted study", async () => {
    const doctor = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'hub-service/src/cli/main.ts'),
        'doctor',
        '--config',
        hub.serviceConfig
      ],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          JUPYTERHUB_API_URL: hub.apiUrl,
          JUPYTERHUB_API_TOKEN: hub.driverToken
        }
      }
    ).catch(e => e as { stdout: string });
    const out = doctor.stdout;
    assert.match(
      out,
      /^ok {3}HBroker's own JHE client gets a token; it acts as admin@example\.org$/m
    );
    assert.match(out, /^ok {3}HBroker's own JHE account reads granted study 30001$/m);
    // The demo study is CommonHealth-encrypted: a member's own token reads only ciphertext.
    assert.match(
      out,
      /^ok {3}user researcher@example\.org's own JHE token reads study 30001 only as CommonHealth ciphertext$/m
    );
    assert.match(
      out,
      /^ok {3}user outsider@example\.org's own JHE token cannot read study 30001 \(403\)$/m
    );
    assert.match(
      out,
      /^WARN could not check user admin@example\.org: the hub holds no JHE token for them$/m
    );
  });
});
