// The author's view of a job's preflight: its result, and every file it wrote on synthetic data.
import type { Request, RequestHandler, Response, Router } from 'express';
import { createReadStream, existsSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import { notFound } from '../errors.js';
import { preflightDir, preflightResult } from '../jobs/preflight.js';
import type { IJobRecord } from '../store/index.js';
import type { IIdentity } from './auth.js';

type Authed = (
  handler: (request: Request, response: Response, who: IIdentity) => Promise<void> | void
) => RequestHandler;

export function addPreflightRoutes(
  api: Router,
  authed: Authed,
  visibleJob: (id: string, who: IIdentity) => IJobRecord,
  outputsRoot: string
): void {
  const result = (record: IJobRecord) => {
    const found = preflightResult(outputsRoot, record.id);
    if (!found) {
      throw notFound(
        `Job ${record.id} has no preflight result: it has not got that far, the preflight is off on this service, or the job was submitted before it existed.`
      );
    }
    return found;
  };

  api.get(
    '/jobs/:id/preflight',
    authed((request, response, who) => {
      response.json(result(visibleJob(String(request.params.id), who)));
    })
  );

  // Synthetic outputs only: the preflight's sandbox never saw real data, so its author sees everything.
  api.get(
    '/jobs/:id/preflight/outputs/*path',
    authed((request, response, who) => {
      const record = visibleJob(String(request.params.id), who);
      const wanted = ([] as string[])
        .concat((request.params as Record<string, string | string[]>).path)
        .join('/');
      const listed = result(record).files.find(f => f.path === wanted);
      const root = preflightDir(outputsRoot, record.id);
      const file = join(root, wanted);
      // Only a file the preflight listed, and only inside its folder (no link may lead out).
      if (
        !listed ||
        !existsSync(file) ||
        !realpathSync(file).startsWith(realpathSync(root) + sep)
      ) {
        throw notFound(
          `"${wanted}" is not an output of job ${record.id}'s preflight. List them with GET /api/v1/jobs/${record.id}/preflight.`
        );
      }
      response.setHeader('Cache-Control', 'no-store');
      response.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
      response.setHeader('X-Content-Type-Options', 'nosniff');
      response.type('application/octet-stream');
      createReadStream(file).pipe(response);
    })
  );
}
