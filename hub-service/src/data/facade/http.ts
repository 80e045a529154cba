// Serves the facade over node:http (no dependencies, so the same code runs inside a sandbox).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { operationOutcome, restError, type IFacadeAnswer } from './paging.js';
import { answer, routeOf } from './routes.js';
import type { FacadeView } from './view.js';

/** The view a bearer token may see, or undefined when the token is not good here. */
export type FacadeResolver = (token: string) => Promise<FacadeView | undefined>;

export function bearerToken(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** JHE sends every JSON answer, FHIR included, as application/json; unknown paths get an HTML page. */
function send(response: ServerResponse, result: IFacadeAnswer): void {
  const html = typeof result.body === 'string';
  const text = html ? (result.body as string) : JSON.stringify(result.body);
  response.writeHead(result.status, {
    'Content-Type': html ? 'text/html; charset=utf-8' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...result.headers
  });
  response.end(text);
}

const unauthenticated = 'Authentication credentials were not provided.';

/** JHE's 401: an OperationOutcome on FHIR; on REST a detail and a Bearer challenge. */
function refused(fhir: boolean, tokenSent: boolean): IFacadeAnswer {
  if (fhir) {
    return operationOutcome(401, unauthenticated);
  }
  const challenge = tokenSent
    ? 'Bearer realm="api",error="invalid_token",error_description="The access token is invalid."'
    : 'Bearer realm="api"';
  return { ...restError(401, unauthenticated), headers: { 'WWW-Authenticate': challenge } };
}

/** Answers one request; `path` is relative to the facade's base, `url` absolute as the caller sees it. */
export async function serveFacadeRequest(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  url: URL,
  resolve: FacadeResolver
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, restError(405, `Method "${request.method}" not allowed.`));
    return;
  }
  const route = routeOf(path);
  if (route === 'unknown' || route === 'metadata') {
    send(response, answer(undefined, path, url));
    return;
  }
  const token = bearerToken(request);
  const view = token ? await resolve(token) : undefined;
  if (!view) {
    send(response, refused(route === 'fhir', token !== undefined));
    return;
  }
  send(response, answer(view, path, url));
}
