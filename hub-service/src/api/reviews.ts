// The output checkers' routes: the review queue, a job as a checker sees it, previews and reviews.
import type { Request, RequestHandler, Response, Router } from 'express';
import { extname } from 'node:path';
import type { ReviewDesk } from '../review/index.js';
import type { IIdentity } from './auth.js';
import { requireScope, scopes } from './scopes.js';
import { readJson } from './body.js';

type Authed = (
  handler: (request: Request, response: Response, who: IIdentity) => Promise<void> | void
) => RequestHandler;

export function addReviewRoutes(
  api: Router,
  authed: Authed,
  desk: ReviewDesk,
  /** Largest review body, in bytes; read only after the scope check. */
  bodyLimit: number
): void {
  api.get(
    '/reviews',
    authed((_request, response, who) => {
      requireScope(who, scopes.review);
      response.json(desk.queue(who.user));
    })
  );

  api.get(
    '/jobs/:id/review',
    authed((request, response, who) => {
      requireScope(who, scopes.review);
      response.json(desk.view(String(request.params.id), who.user));
    })
  );

  // The one place unreleased content is shown: to a checker who is not the author, audited.
  api.get(
    '/jobs/:id/review/artifacts/*path',
    authed((request, response, who) => {
      requireScope(who, scopes.review);
      const path = ([] as string[])
        .concat((request.params as Record<string, string | string[]>).path)
        .join('/');
      const { artifact, served } = desk.preview(String(request.params.id), path, who.user);
      // Never cached, never run as a page of this origin, never sniffed into something else.
      response.setHeader('Cache-Control', 'no-store');
      response.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
      response.setHeader('X-Content-Type-Options', 'nosniff');
      // The checker sees what release will write, not the bytes the run left.
      response.setHeader('X-Content-SHA256', served.sha256);
      const file = artifact.kind === 'output' || artifact.kind === 'log';
      response.type(
        file ? extname(artifact.path) || 'application/octet-stream' : served.contentType
      );
      response.end(served.body);
    })
  );

  api.post(
    '/jobs/:id/reviews',
    authed(async (request, response, who) => {
      requireScope(who, scopes.review);
      await readJson(request, response, bodyLimit);
      response.status(201).json(desk.submit(String(request.params.id), who.user, request.body));
    })
  );
}
