// The CLI's HTTP client for the service API: token from the environment, errors as sentences.
import { readFileSync } from 'node:fs';
import { HBrokerError } from '../errors.js';
import type { ApiError, Job, JobEvent, JobManifest } from '../schema/index.js';

export interface IClientOptions {
  url?: string;
  tokenFile?: string;
}

export class ApiClient {
  readonly base: string;
  private token: string;

  constructor(options: IClientOptions) {
    this.base = (options.url ?? process.env.HBROKER_URL ?? 'http://127.0.0.1:8765').replace(
      /\/+$/,
      ''
    );
    const token = options.tokenFile
      ? readFileSync(options.tokenFile, 'utf8').trim()
      : (process.env.HBROKER_TOKEN ?? process.env.JUPYTERHUB_API_TOKEN);
    if (!token) {
      throw new HBrokerError(
        'no_token',
        'No API token: set HBROKER_TOKEN (or JUPYTERHUB_API_TOKEN inside JupyterHub), or pass --token-file.'
      );
    }
    this.token = token;
  }

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.base}/api/v1${path}`, {
        ...init,
        headers: {
          Authorization: `Bearer ${this.token}`,
          // FormData writes its own multipart Content-Type, with the boundary.
          ...(init.body instanceof FormData ? {} : { 'Content-Type': 'application/json' }),
          ...(init.headers ?? {})
        }
      });
    } catch (e) {
      throw new HBrokerError(
        'unreachable',
        `Cannot reach HBroker at ${this.base} (${(e as Error).cause ?? (e as Error).message}). Is the service running?`
      );
    }
    if (!response.ok) {
      let body: ApiError | undefined;
      try {
        body = (await response.json()) as ApiError;
      } catch {
        body = undefined;
      }
      throw new HBrokerError(
        body?.error.code ?? 'http_error',
        body?.error.message ?? `HTTP ${response.status}`,
        response.status
      );
    }
    return response;
  }

  async json<T>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.call(path, init)).json()) as T;
  }

  /** Submits the streamed form: the manifest part, then the bundle's tar as the bundle part. */
  async submit(manifest: JobManifest, tarball: Buffer): Promise<Job> {
    const form = new FormData();
    form.append('manifest', JSON.stringify(manifest));
    const bytes = tarball as Uint8Array<ArrayBuffer>; // Buffer.concat never returns shared memory
    form.append('bundle', new Blob([bytes], { type: 'application/x-tar' }), 'bundle.tar');
    return this.json<Job>('/jobs', { method: 'POST', body: form });
  }

  async bytes(path: string): Promise<Buffer> {
    return Buffer.from(await (await this.call(path)).arrayBuffer());
  }

  /** Follows a job's Server-Sent Events until the service closes the stream. */
  async *events(jobId: string): AsyncGenerator<JobEvent> {
    const response = await this.call(`/jobs/${encodeURIComponent(jobId)}/events`, {
      headers: { Accept: 'text/event-stream' }
    });
    const decoder = new TextDecoder();
    let pending = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      let split: number;
      while ((split = pending.indexOf('\n\n')) >= 0) {
        const block = pending.slice(0, split);
        pending = pending.slice(split + 2);
        const data = block
          .split('\n')
          .filter(l => l.startsWith('data: '))
          .map(l => l.slice(6))
          .join('\n');
        if (data) {
          yield JSON.parse(data) as JobEvent;
        }
      }
    }
  }
}
