// `hbroker dev-exchange`: a DEV-ONLY JupyterHealth Exchange stand-in with JHE's OAuth, REST and FHIR shapes.
import { createServer, type Server } from 'node:http';
import { FacadeView, serveFacadeRequest } from '../data/facade/index.js';
import type { ITinkKeyset } from '../data/tink/index.js';
import { IdTokenSigner } from './id-token.js';
import { serveOAuth } from './oauth-http.js';
import { DevOAuth } from './oauth.js';
import {
  seedDevExchange,
  type IDevExchangeData,
  type IDevUser,
  type ISeedOptions
} from './seed.js';

export interface IDevExchangeOptions extends ISeedOptions {
  host: string;
  port: number;
  password: string;
  partnerPublic: ITinkKeyset;
  /** Public sign-in clients (e.g. a JupyterHub) and the exact redirect URIs they may use. */
  clients?: { clientId: string; redirectUris: string[] }[];
  /** Called before each request is answered (tests change the data mid-read with it). */
  onRequest?: (url: URL) => void;
}

export interface IDevExchange {
  url: string;
  data: IDevExchangeData;
  oauth: DevOAuth;
  /** What an access token may see (undefined for a token the exchange does not know). */
  viewOf(token: string): Promise<FacadeView | undefined>;
  /** Marks Observations as updated now (or at `at`), as an upload to JHE would; searches see it at once. */
  touch(ids: string[], at?: string): void;
  close(): Promise<void>;
}

/** What one JHE user sees: their organization's studies, those studies' patients and records. */
export function viewFor(data: IDevExchangeData, user: IDevUser): FacadeView {
  const studies = data.studies.filter(s => user.studyIds.includes(s.study.id));
  const patientIds = new Set(studies.flatMap(s => s.patientIds));
  const profile: Partial<IDevUser> = { ...user };
  delete profile.username;
  delete profile.studyIds;
  return new FacadeView({
    user: profile as IDevUser,
    organizations: data.organizations,
    studies,
    patients: data.patients.filter(p => patientIds.has(p.id)),
    observations: data.observations.filter(o =>
      patientIds.has(Number(o.subject.reference.replace('Patient/', '')))
    ),
    questionnaireResponses: data.questionnaireResponses,
    dataSources: data.dataSources
  });
}

export async function startDevExchange(options: IDevExchangeOptions): Promise<IDevExchange> {
  const data = seedDevExchange(options.partnerPublic, options);
  const oauth = new DevOAuth(data.users, options.password, await IdTokenSigner.create());
  for (const client of options.clients ?? []) {
    oauth.clients.registerSignIn(client.clientId, client.redirectUris);
  }
  let exchangeUrl = '';
  const views = new Map<number, FacadeView>();
  const resolve = async (token: string) => {
    const user = oauth.userFor(token);
    if (!user) {
      return undefined;
    }
    let view = views.get(user.id);
    if (!view) {
      view = viewFor(data, user);
      views.set(user.id, view);
    }
    return view;
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? options.host}`);
    options.onRequest?.(url);
    const json = (status: number, value: object) => {
      response.writeHead(status, {
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store'
      });
      response.end(JSON.stringify(value));
    };
    const handle = async () => {
      if (await serveOAuth(request, response, url, oauth, exchangeUrl)) {
        return;
      }
      await serveFacadeRequest(request, response, url.pathname, url, resolve);
    };
    handle().catch(() => json(500, { detail: 'A server error occurred.' }));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => done());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  exchangeUrl = `http://${options.host}:${port}/`;
  oauth.issuer = `${exchangeUrl}o`;
  return {
    url: exchangeUrl,
    data,
    oauth,
    viewOf: resolve,
    touch(ids, at = new Date().toISOString()) {
      const touched = new Set(ids);
      data.observations = data.observations.map(o =>
        touched.has(o.id) ? { ...o, meta: { ...o.meta, lastUpdated: at } } : o
      );
      views.clear();
    },
    close: () =>
      new Promise(done => {
        server.close(() => done());
        server.closeAllConnections();
      })
  };
}
