// Talks to a JupyterHealth Exchange with one token: timeouts, retries with backoff, DRF paging.
import type { JhePage } from '../../schema/index.js';

export interface IJheClientOptions {
  /** Per request. */
  timeoutMs: number;
  /** Further attempts after a 5xx or a network error; a 4xx is never retried. */
  retries: number;
  /** The first wait; each retry doubles it. */
  backoffMs: number;
}

export const defaultJheClientOptions: IJheClientOptions = {
  timeoutMs: 30_000,
  retries: 4,
  backoffMs: 500
};

/** JHE answered with an error status (after any retries), or could not be reached at all. */
export class JheRequestError extends Error {
  constructor(
    readonly status: number | undefined,
    readonly path: string,
    readonly detail: string
  ) {
    super(`JHE ${status ?? 'unreachable'} for ${path}: ${detail}`);
  }
}

/** The sentence of a JHE error: REST's `detail`, or a FHIR OperationOutcome's diagnostics. */
function errorText(body: unknown): string | undefined {
  const b = body as { detail?: unknown; issue?: { diagnostics?: unknown }[] };
  const text = b?.detail ?? b?.issue?.[0]?.diagnostics;
  return text === undefined ? undefined : String(text);
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export class JheClient {
  private base: URL;

  constructor(
    baseUrl: string,
    private token: string,
    private options: IJheClientOptions = defaultJheClientOptions
  ) {
    this.base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  }

  /** GET a path under the exchange (e.g. "api/v1/studies") or an absolute link JHE gave us. */
  async get<T>(pathOrUrl: string, params: Record<string, string | number> = {}): Promise<T> {
    const url = new URL(pathOrUrl, this.base);
    // The token goes only to the exchange itself, never to a host a next link names.
    if (url.origin !== this.base.origin) {
      throw new JheRequestError(
        undefined,
        url.pathname,
        `a link left the exchange (${url.origin})`
      );
    }
    for (const [k, v] of Object.entries(params)) {
      url.searchParams.set(k, String(v));
    }
    const path = url.pathname;
    for (let attempt = 0; ; attempt++) {
      let retryable: JheRequestError;
      try {
        const response = await fetch(url, {
          headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' },
          signal: AbortSignal.timeout(this.options.timeoutMs),
          redirect: 'error'
        });
        if (response.ok) {
          return (await response.json()) as T;
        }
        const detail = await response
          .json()
          .then(body => errorText(body) ?? response.statusText)
          .catch(() => response.statusText);
        const error = new JheRequestError(response.status, path, detail);
        if (response.status < 500) {
          throw error;
        }
        retryable = error;
      } catch (e) {
        if (e instanceof JheRequestError) {
          throw e;
        }
        retryable = new JheRequestError(undefined, path, (e as Error).message);
      }
      if (attempt >= this.options.retries) {
        throw retryable;
      }
      await sleep(this.options.backoffMs * 2 ** attempt);
    }
  }

  /** Every result of a DRF list endpoint, following `next`. */
  async *list<T>(path: string, params: Record<string, string | number> = {}): AsyncGenerator<T> {
    let page = await this.get<JhePage>(path, params);
    for (;;) {
      yield* page.results as T[];
      if (!page.next) {
        return;
      }
      page = await this.get<JhePage>(page.next);
    }
  }
}
