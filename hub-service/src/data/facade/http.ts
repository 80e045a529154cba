// Serves the facade over node:http (no dependencies, so the same code runs inside a sandbox).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answer } from './routes.js';
import type { FacadeView } from './view.js';

/** The view a bearer token may see, or undefined when the token is not good here. */
export type FacadeResolver = (token: string) => Promise<FacadeView | undefined>;

export function bearerToken(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type':
      status < 400 || !('resourceType' in Object(body))
        ? 'application/json'
        : 'application/fhir+json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store'
  });
  response.end(text);
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
    send(response, 405, { detail: `Method "${request.method}" not allowed.` });
    return;
  }
  const token = bearerToken(request);
  if (!token) {
    send(response, 401, { detail: 'Authentication credentials were not provided.' });
    return;
  }
  const view = await resolve(token);
  if (!view) {
    send(response, 401, { detail: 'Authentication credentials were not provided.' });
    return;
  }
  const result = answer(view, path, url);
  send(response, result.status, result.body);
}
