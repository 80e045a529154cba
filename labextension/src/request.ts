// The one place that talks to the HBroker service over HTTP: sign-in, the XSRF token, every route.
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { nullTranslator, type TranslationBundle } from '@jupyterlab/translation';
import type {
  ApiError,
  Caller,
  Job,
  JobManifest,
  Limits,
  PreflightResult,
  Resources,
  ReviewQueue,
  ReviewSubmission,
  ReviewView,
  StudyList
} from './generated/schema';

export type {
  Artifact,
  Caller,
  Job,
  JobEvent,
  JobState,
  Limits,
  Resources,
  Study
} from './generated/schema';
export type { JobManifest, JobSubmission, Finding, ReviewFeedback } from './generated/schema';
export type { FindingGroup, JobOutcome, PreflightResult } from './generated/schema';
export type {
  Review,
  ReviewDecision,
  ReviewQueue,
  ReviewSubmission,
  ReviewView
} from './generated/schema';

/** A refused or failed call, with the service's code and its sentence saying what to do. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details: string[] = []
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** `<hub base url>services/hbroker/` when JupyterLab runs under JupyterHub, '' otherwise. */
export function serviceUrlFromHub(hubPrefix = PageConfig.getOption('hubPrefix')): string {
  if (!hubPrefix) {
    return '';
  }
  const base = hubPrefix.replace(/hub\/?$/, '');
  return URLExt.join(base.endsWith('/') ? base : `${base}/`, 'services', 'hbroker', '/');
}

/** Reads a service error body into a ServiceError; anything else becomes a sentence about the status. */
export async function errorFrom(
  response: Response,
  trans: TranslationBundle = nullTranslator.load('hbroker')
): Promise<ServiceError> {
  let body: Partial<ApiError> | undefined;
  try {
    body = (await response.json()) as ApiError;
  } catch {
    body = undefined;
  }
  if (body?.error?.message) {
    return new ServiceError(
      body.error.code,
      body.error.message,
      response.status,
      body.error.details ?? []
    );
  }
  return new ServiceError(
    'http_' + response.status,
    trans.__(
      'The HBroker service answered %1 %2. Check that it is running and that the service URL in the settings is right.',
      response.status,
      response.statusText
    ),
    response.status
  );
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export class HBrokerClient {
  private xsrf: string | undefined;
  private signingIn: Promise<Caller> | undefined;

  /** `baseUrl` is the service root ending in '/', e.g. '/services/hbroker/'. */
  constructor(
    readonly baseUrl: string,
    private fetchImpl: Fetch = (input, init) => window.fetch(input, init),
    private trans: TranslationBundle = nullTranslator.load('hbroker')
  ) {}

  url(path: string): string {
    return URLExt.join(this.baseUrl, 'api', 'v1', path);
  }

  /**
   * Who the service takes us to be. The first call signs in: asking for HTML lets the service
   * redirect through the hub's OAuth (same origin, no consent page), and the answer carries the
   * XSRF token whose cookie this page cannot read.
   */
  me(): Promise<Caller> {
    this.signingIn ??= this.call<Caller>('me', {
      headers: { Accept: 'text/html, application/json;q=0.9' }
    }).catch(e => {
      this.signingIn = undefined;
      throw e;
    });
    return this.signingIn;
  }

  studies(): Promise<StudyList> {
    return this.call<StudyList>('studies');
  }

  limits(): Promise<Limits> {
    return this.call<Limits>('limits');
  }

  async jobs(): Promise<Job[]> {
    return (await this.call<{ jobs: Job[] }>('jobs')).jobs;
  }

  job(id: string): Promise<Job> {
    return this.call<Job>(`jobs/${encodeURIComponent(id)}`);
  }

  /**
   * Submits the streamed form: multipart/form-data with the manifest, then the bundle's tar, which the
   * service checks as it arrives instead of holding it (the JSON form with a base64 tar still works).
   */
  async submit(manifest: JobManifest, tar: Uint8Array): Promise<Job> {
    const form = new FormData();
    form.append('manifest', JSON.stringify(manifest));
    // The tar is built in an ordinary ArrayBuffer (never shared memory).
    const bytes = tar as Uint8Array<ArrayBuffer>;
    form.append('bundle', new Blob([bytes], { type: 'application/x-tar' }), 'bundle.tar');
    return this.write<Job>('jobs', form);
  }

  cancel(id: string): Promise<Job> {
    return this.write<Job>(`jobs/${encodeURIComponent(id)}/cancel`, {});
  }

  /** Under auto, sends outputs withheld for review to the checkers' queue with the author's note. */
  askForChecker(id: string, paths: string[], note: string): Promise<Job> {
    return this.write<Job>(`jobs/${encodeURIComponent(id)}/review-requests`, { paths, note });
  }

  /** How the run on synthetic data went, with the files it wrote. */
  preflight(id: string): Promise<PreflightResult> {
    return this.call<PreflightResult>(`jobs/${encodeURIComponent(id)}/preflight`);
  }

  /** A file the preflight wrote (synthetic: its author may see all of them). */
  async preflightOutput(id: string, path: string): Promise<ArrayBuffer> {
    await this.me();
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    const response = await this.send(
      `jobs/${encodeURIComponent(id)}/preflight/outputs/${encoded}`,
      {},
      true
    );
    return response.arrayBuffer();
  }

  /** A released output's bytes. */
  async output(id: string, path: string): Promise<ArrayBuffer> {
    await this.me();
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    const response = await this.send(`jobs/${encodeURIComponent(id)}/outputs/${encoded}`, {});
    return response.arrayBuffer();
  }

  /** The output checker's queue: jobs awaiting review that this user may review. */
  reviewQueue(): Promise<ReviewQueue> {
    return this.call<ReviewQueue>('reviews');
  }

  /** A job as this checker may see it (blinded while another checker's review is pending). */
  review(id: string): Promise<ReviewView> {
    return this.call<ReviewView>(`jobs/${encodeURIComponent(id)}/review`);
  }

  /** An artifact's content for review, released or not (checkers only; every view is audited). */
  async reviewArtifact(id: string, path: string): Promise<{ type: string; body: ArrayBuffer }> {
    await this.me();
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    // An HTML output is content here, not a sign-in page, unless the service redirected us.
    const response = await this.send(
      `jobs/${encodeURIComponent(id)}/review/artifacts/${encoded}`,
      {},
      true
    );
    return { type: response.headers.get('Content-Type') ?? '', body: await response.arrayBuffer() };
  }

  submitReview(id: string, body: ReviewSubmission): Promise<ReviewView> {
    return this.write<ReviewView>(`jobs/${encodeURIComponent(id)}/reviews`, body);
  }

  /** The job's Server-Sent Events address (state and progress only). */
  eventsUrl(id: string): string {
    return this.url(`jobs/${encodeURIComponent(id)}/events`);
  }

  private async write<T>(path: string, body: unknown): Promise<T> {
    await this.me();
    // FormData sets its own multipart Content-Type with the boundary.
    const form = body instanceof FormData;
    const headers: Record<string, string> = form ? {} : { 'Content-Type': 'application/json' };
    if (this.xsrf) {
      headers['X-XSRFToken'] = this.xsrf;
    }
    return this.call<T>(path, {
      method: 'POST',
      headers,
      body: form ? body : JSON.stringify(body)
    });
  }

  private async call<T>(path: string, init: RequestInit = {}): Promise<T> {
    if (path !== 'me') {
      await this.me();
    }
    const response = await this.send(path, init);
    return (await response.json()) as T;
  }

  private async send(path: string, init: RequestInit, content = false): Promise<Response> {
    if (!this.baseUrl) {
      throw new ServiceError(
        'no_service_url',
        this.trans.__(
          'JupyterLab is not running under JupyterHub, so the HBroker service address is unknown. Set "serviceUrl" in Settings → HBroker.'
        ),
        0
      );
    }
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path), {
        credentials: 'same-origin',
        ...init,
        headers: { Accept: 'application/json', ...((init.headers as object) ?? {}) }
      });
    } catch (e) {
      throw new ServiceError(
        'unreachable',
        this.trans.__(
          'The HBroker service at %1 could not be reached (%2). Check your connection and the service URL in the settings.',
          this.baseUrl,
          (e as Error).message
        ),
        0
      );
    }
    if (!response.ok) {
      if (response.status === 401) {
        // The service session ended (8 h): sign in again on the next call.
        this.signingIn = undefined;
      }
      throw await errorFrom(response, this.trans);
    }
    const token = response.headers.get('X-XSRFToken');
    if (token) {
      this.xsrf = token;
    }
    const html = (response.headers.get('Content-Type') ?? '').startsWith('text/html');
    if (html && (!content || response.redirected)) {
      // Redirected to a sign-in page we cannot complete from a script (e.g. the hub's login).
      throw new ServiceError(
        'signed_out',
        this.trans.__(
          'Your JupyterHub session has ended. Reload the page to sign in again, then retry.'
        ),
        401
      );
    }
    return response;
  }
}

/** Resources as the dialog shows them: the admin's default, overridden by the user's settings. */
export function defaultResources(limits: Limits, preferred: Resources = {}): Resources {
  return { ...limits.default, ...preferred };
}
