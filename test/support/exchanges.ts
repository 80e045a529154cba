// Our three JHE look-alikes, started side by side for the contract suite: the dev exchange, the synthetic
// exchange (as the service mounts it at {prefix}jhe/, over the dev exchange) and the in-run facade over a
// study staged from the dev exchange by the real JHE data source.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStagedStudy } from '../../hub-service/src/data/dataset/index.js';
import {
  FacadeView,
  serveFacadeRequest,
  stagedStudyView,
  type FacadeResolver
} from '../../hub-service/src/data/facade/index.js';
import { JheDataSource } from '../../hub-service/src/data/jhe/index.js';
import {
  SyntheticExchange,
  SyntheticStudies
} from '../../hub-service/src/data/synthetic-exchange.js';
import { generatePartnerKeysets, parseKeyset } from '../../hub-service/src/data/tink/index.js';
import {
  signIn,
  startDevExchange,
  type IDevExchange
} from '../../hub-service/src/dev-exchange/index.js';

export const devPassword = 'contract-test-password';
const fast = { timeoutMs: 10_000, retries: 1, backoffMs: 10 };

/** One server under test, and how the recording's ids (seed data of a real JHE) map to its own. */
export interface IServerUnderTest {
  name: string;
  /** The exchange's base URL, with a trailing slash. */
  base: string;
  token: string;
  /** A token of a user who sees none of these studies; undefined where there is only one user. */
  otherToken?: string;
  /** What the token may see, to work out expected answers independently of the routes. */
  view: FacadeView;
  /** recorded id → ours, for the ids the recording's requests name. */
  ids: Record<string, string>;
}

export interface IExchanges {
  dev: IDevExchange;
  servers: IServerUnderTest[];
  stop(): Promise<void>;
}

/** An access token of the dev exchange for one of its users, by its sign-in flow. */
export async function devToken(dev: IDevExchange, user: string): Promise<string> {
  return (await signIn(dev, user, devPassword)).access_token;
}

async function serve(
  resolve: FacadeResolver,
  prefix = ''
): Promise<{ server: Server; base: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    void serveFacadeRequest(request, response, url.pathname.slice(prefix.length), url, resolve);
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  return { server, base: `http://127.0.0.1:${port}${prefix}/` };
}

/** The recording's ids that requests name, mapped onto a view with a big and a small study. */
function idsFor(view: FacadeView, big: number, small: number): Record<string, string> {
  const bigPatient = view.patientsOf(big)[0];
  const smallPatient = view.patientsOf(small)[0];
  const organization = String(view.data.organizations[0].id);
  return {
    '30006': String(big),
    '30001': String(small),
    '30002': String(big),
    '40006': String(bigPatient.id),
    '40001': String(smallPatient.id),
    '60010': view.observations(undefined)[0].id,
    '20001': organization,
    '20003': organization,
    'll_patient_peter@example.com': smallPatient.telecomEmail ?? 'none@example.org'
  };
}

export interface IExchangeSizes {
  patients: number;
  perPatientPerCode: number;
  /** Serve plaintext Open mHealth, as the real JHE does (default: CommonHealth envelopes). */
  plaintext?: boolean;
}

export async function startExchanges(
  sizes: IExchangeSizes = { patients: 4, perPatientPerCode: 40 }
): Promise<IExchanges> {
  const keys = generatePartnerKeysets();
  const dev = await startDevExchange({
    host: '127.0.0.1',
    port: 0,
    password: devPassword,
    partnerPublic: parseKeyset(keys.publicKeyset),
    ...sizes,
    seed: 'contract'
  });
  const token = await devToken(dev, 'researcher');
  const otherToken = await devToken(dev, 'outsider');
  const devView = (await dev.viewOf(token))!;

  const synthetic = new SyntheticExchange(
    dev.url,
    fast,
    new SyntheticStudies({
      max_patients: sizes.patients,
      per_patient_per_code: sizes.perPatientPerCode,
      days: 28
    }),
    60
  );
  const syntheticServer = await serve(t => synthetic.resolve(t), '/services/hbroker/jhe');
  const syntheticView = (await synthetic.resolve(token))!;

  const dir = mkdtempSync(join(tmpdir(), 'hbroker-contract-'));
  await new JheDataSource({
    url: dev.url,
    partnerKeyset: parseKeyset(keys.privateKeyset),
    client: fast
  }).stage('30001', join(dir, 'staged'), { user: 'researcher', jheToken: async () => token });
  const runView = stagedStudyView(readStagedStudy(join(dir, 'staged')));
  const runToken = 'per-run-token';
  const runServer = await serve(async t => (t === runToken ? runView : undefined));

  return {
    dev,
    servers: [
      {
        name: 'dev exchange',
        base: dev.url,
        token,
        otherToken,
        view: devView,
        ids: idsFor(devView, 30002, 30001)
      },
      {
        name: 'synthetic exchange',
        base: syntheticServer.base,
        token,
        otherToken,
        view: syntheticView,
        ids: idsFor(syntheticView, 30002, 30001)
      },
      {
        name: 'in-run facade',
        base: runServer.base,
        token: runToken,
        view: runView,
        ids: idsFor(runView, 30001, 30001)
      }
    ],
    async stop() {
      for (const { server } of [syntheticServer, runServer]) {
        server.close();
        server.closeAllConnections();
      }
      await dev.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
