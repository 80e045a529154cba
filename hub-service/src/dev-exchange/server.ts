// `hbroker dev-exchange`: a DEV-ONLY JupyterHealth Exchange stand-in with JHE's OAuth, REST and FHIR shapes.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { FacadeView, serveFacadeRequest } from '../data/facade/index.js';
import type { ITinkKeyset } from '../data/tink/index.js';
import { loginPage } from './login-page.js';
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
}

export interface IDevExchange {
  url: string;
  data: IDevExchangeData;
  oauth: DevOAuth;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 65536) {
      throw new Error('request body too large');
    }
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
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
    )
  });
}

const loopback = (uri: string) => {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(uri).hostname);
  } catch {
    return false;
  }
};

export async function startDevExchange(options: IDevExchangeOptions): Promise<IDevExchange> {
  const data = seedDevExchange(options.partnerPublic, options);
  const oauth = new DevOAuth(data.users, options.password);
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
    const json = (status: number, value: object) => {
      response.writeHead(status, {
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store'
      });
      response.end(JSON.stringify(value));
    };
    const handle = async () => {
      const path = url.pathname.replace(/\/+$/, '');
      if (path === '/o/token' && request.method === 'POST') {
        const result = oauth.token(await body(request));
        json(result.status, result.body);
        return;
      }
      if (path === '/o/authorize') {
        const params = request.method === 'POST' ? await body(request) : url.searchParams;
        const redirect = params.get('redirect_uri') ?? '';
        // Dev only: codes go back to loopback addresses, where the demo hub and tests run.
        if (params.get('response_type') !== 'code' || !loopback(redirect)) {
          json(400, {
            error: 'invalid_request',
            error_description: 'response_type=code and a loopback redirect_uri are required.'
          });
          return;
        }
        const user =
          request.method === 'POST'
            ? oauth.login(params.get('username') ?? '', params.get('password') ?? '')
            : undefined;
        if (!user) {
          response.writeHead(request.method === 'POST' ? 401 : 200, {
            'Content-Type': 'text/html; charset=utf-8'
          });
          response.end(
            loginPage(
              params,
              request.method === 'POST' ? 'Wrong user name or password.' : undefined
            )
          );
          return;
        }
        const code = oauth.authorize(user, redirect, params.get('code_challenge') ?? undefined);
        const back = new URL(redirect);
        back.searchParams.set('code', code);
        if (params.get('state')) {
          back.searchParams.set('state', params.get('state')!);
        }
        response.writeHead(302, { Location: back.toString() });
        response.end();
        return;
      }
      if (path === '/o/userinfo') {
        const user = oauth.userFor(
          /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? ''
        );
        if (!user) {
          json(401, { detail: 'Authentication credentials were not provided.' });
          return;
        }
        json(200, { sub: String(user.id), email: user.email, preferred_username: user.username });
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
  return {
    url: `http://${options.host}:${port}/`,
    data,
    oauth,
    close: () =>
      new Promise(done => {
        server.close(() => done());
        server.closeAllConnections();
      })
  };
}
