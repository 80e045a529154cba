// The REST API (v1), as described in schema/openapi.yaml.
import { parse } from 'cookie';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { IArchive } from '../archive/index.js';
import type { Config } from '../config/index.js';
import { serveFacadeRequest, type FacadeResolver } from '../data/facade/index.js';
import { dataCaller, type IDataSource, type IJheTokens } from '../data/index.js';
import { HBrokerError, notFound } from '../errors.js';
import type { JobJournal } from '../jobs/journal.js';
import type { Pipeline } from '../jobs/pipeline.js';
import { isTerminal } from '../jobs/states.js';
import { checkManifest, submitBundle, submitJob } from '../jobs/submit.js';
import { jobView } from '../jobs/view.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Caller, Limits, StudyList } from '../schema/index.js';
import type { IJobRecord } from '../store/index.js';
import { serviceVersion } from '../version.js';
import { servedArtifact } from '../vetting/index.js';
import type { IAuthenticator, IIdentity } from './auth.js';
import { xsrfCookie } from './hub/index.js';
import { requireScope, scopes } from './scopes.js';
import { addPreflightRoutes } from './preflight.js';
import { addReviewRoutes } from './reviews.js';
import { askForChecker, ReviewDesk } from '../review/index.js';
import { errorHandler, refusalCode, sendError } from './errors.js';
import { streamEvents } from './events.js';
import { Admission } from './admission.js';
import { checkDeclaredLength, closeUnread, declaredLength, readJson, wantBody } from './body.js';
import { readStreamedSubmission } from './multipart.js';
import { allowedMethods } from './methods.js';
import type { RefusalTally } from '../audit/refusals.js';

/** Where a browser sends the _xsrf cookie's value on writes, and where GET /me hands it out. */
const xsrfHeader = 'X-XSRFToken';

export interface IApiParts {
  config: Config;
  journal: JobJournal;
  archive: IArchive;
  data: IDataSource;
  pipeline: Pipeline;
  authenticator: IAuthenticator;
  /** Everything is served under this path (JUPYTERHUB_SERVICE_PREFIX), '/' when standalone. */
  prefix: string;
  /** Reads a user's JHE token from the hub when asked; absent outside JupyterHub. */
  jheTokens?: IJheTokens;
  metrics: Metrics;
  log: Logger;
  /** The synthetic JHE at {prefix}jhe/ for researchers' servers; absent unless the data is a JHE. */
  syntheticExchange?: { resolve: FacadeResolver };
  /** Counts refused requests per caller and reason, for the audit log. */
  refusals: RefusalTally;
  /** Checks the store and engine answer, for /health. */
  health(): Promise<Record<string, string>>;
}

type Handler = (request: Request, response: Response, who: IIdentity) => Promise<void> | void;

export function createApp(parts: IApiParts): express.Express {
  const { config, journal, pipeline, log } = parts;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // The JupyterHub proxy sits on loopback; trust it for the client's protocol (Secure cookies).
  app.set('trust proxy', 'loopback');
  const base = express.Router();
  if (parts.authenticator.routes) {
    base.use(parts.authenticator.routes());
  }

  base.get('/health', async (_request, response) => {
    const checks = await parts.health();
    const ok = Object.values(checks).every(v => v === 'ok');
    response
      .status(ok ? 200 : 503)
      .json({ status: ok ? 'ok' : 'degraded', version: serviceVersion, checks });
  });

  const exchange = parts.syntheticExchange;
  if (exchange) {
    // Not behind the service's own auth: callers send their JHE token, which the exchange checks.
    base.use('/jhe', (request, response) => {
      const url = new URL(request.originalUrl, `${request.protocol}://${request.get('host')}`);
      serveFacadeRequest(request, response, request.path, url, t => exchange.resolve(t)).catch(
        e => {
          log.warn({ err: (e as Error).message }, 'synthetic exchange: JHE did not answer');
          if (!response.headersSent) {
            response.status(502).json({
              detail:
                'The JupyterHealth Exchange did not answer, so no study can be shown. Try again later.'
            });
          }
        }
      );
    });
  }

  const api = express.Router();
  // No body parser here: each route reads its body itself, after authentication and its scope check.
  const bodies = bodyLimits(config);
  const admission = new Admission(config.limits);
  /** Who a refusal is counted against: the user, or the address of a caller with no valid token. */
  const actor = (request: Request, who?: IIdentity) => who?.user ?? `anonymous ${request.ip}`;

  const authed =
    (handler: Handler) =>
    async (request: Request, response: Response, next: NextFunction): Promise<void> => {
      let who: IIdentity | undefined;
      try {
        who = await parts.authenticator.authenticate(request);
        if (!who && parts.authenticator.loginUrl && request.accepts(['json', 'html']) === 'html') {
          closeUnread(request, response);
          response.redirect(302, parts.authenticator.loginUrl(request));
          return;
        }
        if (!who) {
          parts.refusals.count(actor(request), 'unauthenticated');
          closeUnread(request, response);
          sendError(
            response,
            401,
            'unauthenticated',
            'This API needs a token: send "Authorization: Bearer <token>" with a token an admin gave you.'
          );
          return;
        }
        // A browser session can be ridden by another site's form; a token header cannot.
        if (who.via === 'cookie' && !['GET', 'HEAD'].includes(request.method)) {
          const expected = parse(request.headers.cookie ?? '')[xsrfCookie];
          if (!expected || request.get(xsrfHeader) !== expected) {
            throw new HBrokerError(
              'xsrf',
              'This request came from the browser without its XSRF token. Send the _xsrf cookie value in the X-XSRFToken header.',
              403
            );
          }
        }
        await handler(request, response, who);
      } catch (e) {
        const code = refusalCode(e);
        if (code) {
          parts.refusals.count(actor(request, who), code);
        }
        closeUnread(request, response, who ? bodies.streamed : 0);
        next(e);
      }
    };

  /** The job, if it exists and the caller may see it; others' jobs look absent (no id probing). */
  const visibleJob = (id: string, who: IIdentity): IJobRecord => {
    const record = journal.store.job(id);
    if (!record || (!who.admin && record.owner !== who.user)) {
      throw notFound(`There is no job ${id} that you can see. List yours with GET /api/v1/jobs.`);
    }
    return record;
  };

  api.post(
    '/jobs',
    authed(async (request, response, who) => {
      requireScope(who, scopes.submit);
      const streamed = request.is('multipart/form-data') === 'multipart/form-data';
      if (!streamed && request.is('application/json') !== 'application/json') {
        throw new HBrokerError(
          'unsupported_media_type',
          'Send the submission as multipart/form-data (a "manifest" part, then a "bundle" part with the tar) or as application/json.',
          415
        );
      }
      const limit = streamed ? bodies.streamed : bodies.json;
      checkDeclaredLength(request, limit);
      const ticket = admission.admit(who.user, declaredLength(request) ?? limit, true);
      try {
        let id: string;
        if (streamed) {
          wantBody(request, response);
          id = await readStreamedSubmission(
            request,
            { manifestBytes: bodies.manifest, bundleBytes: bodies.streamed },
            async (raw, tarball) =>
              submitBundle(await checkManifest(raw, who.user, parts), tarball, who.user, parts)
          );
        } else {
          await readJson(request, response, limit);
          id = await submitJob(request.body, who.user, parts);
        }
        pipeline.enqueue(id);
        response
          .status(201)
          .location(`jobs/${id}`)
          .json(jobView(journal.store, journal.store.job(id)!));
      } catch (e) {
        const code = refusalCode(e);
        if (code) {
          parts.metrics.rejectedSubmissions.inc({ code });
        }
        throw e;
      } finally {
        ticket.release();
      }
    })
  );

  // Admins only (as JupyterHub's own /metrics): run times by outcome and counts of failed runs would
  // tell a researcher how their run ended, which failure_detail "none" keeps from them.
  base.get(
    '/metrics',
    authed(async (_request, response, who) => {
      requireScope(who, scopes.admin);
      response
        .type(parts.metrics.registry.contentType)
        .send(await parts.metrics.registry.metrics());
    })
  );

  api.get(
    '/jobs',
    authed((_request, response, who) => {
      const records = journal.store.jobs(who.admin ? undefined : who.user);
      response.json({ jobs: records.map(r => jobView(journal.store, r)) });
    })
  );

  api.get(
    '/jobs/:id',
    authed((request, response, who) => {
      response.json(jobView(journal.store, visibleJob(String(request.params.id), who)));
    })
  );

  api.get(
    '/jobs/:id/events',
    authed((request, response, who) => {
      const record = visibleJob(String(request.params.id), who);
      streamEvents(journal, record.id, request, response);
    })
  );

  api.post(
    '/jobs/:id/cancel',
    authed((request, response, who) => {
      const record = visibleJob(String(request.params.id), who);
      requireScope(who, scopes.submit);
      const state = journal.state(record.id)!;
      if (isTerminal(state)) {
        throw new HBrokerError(
          'already_finished',
          `Job ${record.id} has already finished (${state}); there is nothing to cancel.`,
          409
        );
      }
      journal.audit.record(who.user, 'job.cancel', record.id);
      pipeline.cancel(record.id, who.user);
      response.json(jobView(journal.store, record));
    })
  );

  api.get(
    '/jobs/:id/outputs',
    authed((request, response, who) => {
      const record = visibleJob(String(request.params.id), who);
      const released = journal.store.artifacts(record.id).filter(a => a.status === 'released');
      response.json({ job_id: record.id, state: journal.state(record.id), outputs: released });
    })
  );

  api.get(
    '/jobs/:id/outputs/*path',
    authed((request, response, who) => {
      const record = visibleJob(String(request.params.id), who);
      const wanted = ([] as string[])
        .concat((request.params as Record<string, string | string[]>).path)
        .join('/');
      const artifacts = journal.store.artifacts(record.id);
      const artifact = artifacts.find(a => a.path === wanted);
      // Only released artifacts leave, and only from the quarantine folder written by the executor.
      if (!artifact || artifact.status !== 'released' || journal.state(record.id) !== 'released') {
        throw notFound(
          `"${wanted}" is not a released output of job ${record.id}. List released outputs with GET /api/v1/jobs/${record.id}/outputs.`
        );
      }
      // The notebook leaves with its unreleased outputs stripped; a cell output is read from it.
      const served = servedArtifact(pipeline.outputDir(record.id), artifact, artifacts);
      if (!served) {
        throw notFound(`The released output "${wanted}" is no longer stored on this service.`);
      }
      journal.audit.record(who.user, 'output.download', record.id, {
        path: artifact.path,
        sha256: artifact.sha256
      });
      response.setHeader('Content-Type', served.contentType);
      const name =
        artifact.kind === 'cell_output'
          ? `${artifact.path.replaceAll('/', '_')}.json`
          : artifact.path.split('/').pop()!;
      response.setHeader(
        'Content-Disposition',
        `attachment; filename="${encodeURIComponent(name)}"`
      );
      // What release wrote again from the vetted content, never the stored bytes.
      response.setHeader('X-Content-SHA256', served.sha256);
      response.end(served.body);
    })
  );

  // Under auto, the author sends outputs withheld for review to the checkers' queue.
  api.post(
    '/jobs/:id/review-requests',
    authed(async (request, response, who) => {
      const record = visibleJob(String(request.params.id), who);
      requireScope(who, scopes.submit);
      // Read only once the caller may ask (ingress: no body before authorisation).
      await readJson(request, response, bodies.review);
      askForChecker(journal, record, who.user, request.body);
      response.status(201).json(jobView(journal.store, record));
    })
  );

  addReviewRoutes(
    api,
    authed,
    new ReviewDesk(journal, id => pipeline.outputDir(id)),
    bodies.review
  );
  addPreflightRoutes(api, authed, visibleJob, pipeline.outputsRoot);

  api.get(
    '/me',
    authed(async (request, response, who) => {
      if (who.via === 'cookie' && parts.authenticator.xsrfToken) {
        response.setHeader(xsrfHeader, parts.authenticator.xsrfToken(request, response));
      }
      let jhe: Caller['jhe_token'] = 'not_applicable';
      if (parts.jheTokens) {
        jhe = (await parts.jheTokens.get(who.user)) ? 'available' : 'missing';
      }
      const caller: Caller = {
        user: who.user,
        admin: who.admin,
        scopes: [...who.scopes].sort(),
        jhe_token: jhe
      };
      response.json(caller);
    })
  );

  api.get(
    '/studies',
    authed(async (_request, response, who) => {
      const list: StudyList = {
        studies: await parts.data.studies(dataCaller(who.user, parts.jheTokens))
      };
      response.json(list);
    })
  );

  api.get(
    '/limits',
    authed((_request, response) => {
      const limits: Limits = {
        bundle_mb: config.limits.bundle_mb,
        default: config.limits.default,
        max: config.limits.max,
        release_policy: config.release.policy
      };
      response.json(limits);
    })
  );

  base.get(
    '/',
    authed((_request, response, who) => {
      response.json({
        service: 'hbroker',
        version: serviceVersion,
        user: who.user,
        api: `${parts.prefix}api/v1`
      });
    })
  );

  base.use('/api/v1', api);
  app.use(parts.prefix, base);
  // A path the API has, asked with a method it does not answer (TRACE, PUT, …): 405 naming the allowed ones.
  app.use((request, response) => {
    closeUnread(request, response);
    const relative = request.path.startsWith(parts.prefix)
      ? `/${request.path.slice(parts.prefix.length)}`
      : undefined;
    const allowed = relative === undefined ? [] : allowedMethods(base, relative);
    if (allowed.length > 0) {
      response.setHeader('Allow', allowed.join(', '));
      sendError(
        response,
        405,
        'method_not_allowed',
        `${request.method} is not allowed on ${request.path}; use ${allowed.join(' or ')}.`
      );
      return;
    }
    sendError(
      response,
      404,
      'not_found',
      `${request.method} ${request.path} is not part of the HBroker API (see schema/openapi.yaml).`
    );
  });
  app.use(errorHandler(log));
  return app;
}

/** The largest body each kind of request may have, in bytes. */
export function bodyLimits(config: Config) {
  const bundle = config.limits.bundle_mb * 1048576;
  const manifest = 1048576;
  return {
    manifest,
    // The tar's headers and padding: at most two 512-byte blocks per entry over the files' bytes.
    streamed: bundle + 2 * 2 * config.limits.bundle_files * 512 + manifest + 65536,
    // Base64 inflates by 4/3; allow a little over that for the manifest.
    json: Math.ceil(bundle * 1.4) + 65536,
    review: manifest
  };
}
