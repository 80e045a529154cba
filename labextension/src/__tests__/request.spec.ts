// The request layer: the first call signs in through the hub (HTML accepted, redirects followed),
// the XSRF token from /me goes on every write, and refusals become sentences.
import { HBrokerClient, ServiceError, serviceUrlFromHub, type Fetch } from '../request';

interface ICall {
  url: string;
  init: RequestInit;
}

function fakeService(answers: Record<string, () => Response>): { fetch: Fetch; calls: ICall[] } {
  const calls: ICall[] = [];
  const fetch: Fetch = async (url, init = {}) => {
    calls.push({ url, init });
    const key = `${init.method ?? 'GET'} ${url}`;
    const answer = answers[key];
    if (!answer) {
      throw new Error(`unexpected ${key}`);
    }
    return answer();
  };
  return { fetch, calls };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers }
  });

const me = { user: 'researcher', admin: false, scopes: [], jhe_token: 'available' };
const base = '/services/hbroker/';
const headersOf = (call: ICall) => call.init.headers as Record<string, string>;

describe('serviceUrlFromHub', () => {
  it('puts the service beside the hub', () => {
    expect(serviceUrlFromHub('/hub/')).toBe('/services/hbroker/');
    expect(serviceUrlFromHub('/prefix/hub/')).toBe('/prefix/services/hbroker/');
    expect(serviceUrlFromHub('')).toBe('');
  });
});

describe('HBrokerClient', () => {
  it('signs in once, preferring HTML so the service may redirect through the hub', async () => {
    const { fetch, calls } = fakeService({
      [`GET ${base}api/v1/me`]: () => json(me, 200, { 'X-XSRFToken': 'tok' }),
      [`GET ${base}api/v1/jobs`]: () => json({ jobs: [] })
    });
    const client = new HBrokerClient(base, fetch);
    await Promise.all([client.jobs(), client.jobs()]);
    const meCalls = calls.filter(c => c.url.endsWith('/me'));
    expect(meCalls).toHaveLength(1);
    expect(headersOf(meCalls[0]).Accept).toMatch(/^text\/html/);
    expect(meCalls[0].init.credentials).toBe('same-origin');
    expect(headersOf(calls[calls.length - 1]).Accept).toBe('application/json');
  });

  it('sends the XSRF token /me handed out on writes', async () => {
    const job = { id: 'j1' };
    const { fetch, calls } = fakeService({
      [`GET ${base}api/v1/me`]: () => json(me, 200, { 'X-XSRFToken': 'tok-123' }),
      [`POST ${base}api/v1/jobs/j1/cancel`]: () => json(job)
    });
    const client = new HBrokerClient(base, fetch);
    await client.cancel('j1');
    const post = calls.find(c => c.init.method === 'POST')!;
    expect(headersOf(post)['X-XSRFToken']).toBe('tok-123');
    expect(headersOf(post)['Content-Type']).toBe('application/json');
  });

  it("turns the service's error body into a ServiceError with its sentence", async () => {
    const refusal = {
      error: {
        code: 'invalid_manifest',
        message: 'The manifest is not valid. Fix the fields named below.',
        details: ['manifest.study: missing required field "study"']
      }
    };
    const { fetch } = fakeService({
      [`GET ${base}api/v1/me`]: () => json(me),
      [`POST ${base}api/v1/jobs`]: () => json(refusal, 400)
    });
    const client = new HBrokerClient(base, fetch);
    const error = await client
      .submit({ notebook: 'a.ipynb', study: 'demo' }, new Uint8Array(1024))
      .catch(e => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.code).toBe('invalid_manifest');
    expect(error.status).toBe(400);
    expect(error.message).toBe('The manifest is not valid. Fix the fields named below.');
    expect(error.details).toEqual(['manifest.study: missing required field "study"']);
  });

  it('submits the streamed form: the manifest part, then the tar as the bundle part', async () => {
    const { fetch, calls } = fakeService({
      [`GET ${base}api/v1/me`]: () => json(me, 200, { 'X-XSRFToken': 'tok' }),
      [`POST ${base}api/v1/jobs`]: () => json({ id: 'j1' }, 201)
    });
    const tar = new Uint8Array([1, 2, 3, 4]);
    await new HBrokerClient(base, fetch).submit({ notebook: 'a.ipynb', study: 'demo' }, tar);
    const post = calls[calls.length - 1];
    const body = post.init.body as FormData;
    expect(body).toBeInstanceOf(FormData);
    expect([...body.keys()]).toEqual(['manifest', 'bundle']);
    expect(JSON.parse(body.get('manifest') as string)).toEqual({
      notebook: 'a.ipynb',
      study: 'demo'
    });
    const bundle = body.get('bundle') as File;
    expect(bundle.name).toBe('bundle.tar');
    const read = await new Promise<ArrayBuffer>(resolve => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.readAsArrayBuffer(bundle);
    });
    expect(new Uint8Array(read)).toEqual(tar);
    // The browser writes the multipart Content-Type (with its boundary) itself.
    expect(headersOf(post)['Content-Type']).toBeUndefined();
    expect(headersOf(post)['X-XSRFToken']).toBe('tok');
  });

  it('says the hub session ended when a sign-in page comes back instead of JSON', async () => {
    const { fetch } = fakeService({
      [`GET ${base}api/v1/me`]: () =>
        new Response('<html>login</html>', { headers: { 'Content-Type': 'text/html' } })
    });
    const error = await new HBrokerClient(base, fetch).me().catch(e => e);
    expect(error.code).toBe('signed_out');
    expect(error.message).toMatch(/Reload the page to sign in/);
  });

  it('names the service URL setting when there is no hub and no URL', async () => {
    const error = await new HBrokerClient('', fakeService({}).fetch).me().catch(e => e);
    expect(error.code).toBe('no_service_url');
    expect(error.message).toMatch(/serviceUrl/);
  });

  it('says the service could not be reached, in words, when the network fails', async () => {
    const client = new HBrokerClient(base, async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = await client.me().catch(e => e);
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/could not be reached \(Failed to fetch\)/);
  });

  it('describes a bare status when the body is not the service’s', async () => {
    const { fetch } = fakeService({
      [`GET ${base}api/v1/me`]: () =>
        new Response('bad gateway', { status: 502, statusText: 'Bad Gateway' })
    });
    const error = await new HBrokerClient(base, fetch).me().catch(e => e);
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/answered 502/);
  });

  it('signs in again after the service session ended (401)', async () => {
    let jobsCalls = 0;
    const { fetch, calls } = fakeService({
      [`GET ${base}api/v1/me`]: () => json(me),
      [`GET ${base}api/v1/jobs`]: () =>
        ++jobsCalls === 2
          ? json({ error: { code: 'unauthenticated', message: 'Sign in.' } }, 401)
          : json({ jobs: [] })
    });
    const client = new HBrokerClient(base, fetch);
    await client.jobs();
    await expect(client.jobs()).rejects.toThrow('Sign in.');
    await client.jobs();
    expect(calls.filter(c => c.url.endsWith('/me'))).toHaveLength(2);
  });

  it('fetches released outputs by path, each segment encoded', async () => {
    const { fetch, calls } = fakeService({
      [`GET ${base}api/v1/me`]: () => json(me),
      [`GET ${base}api/v1/jobs/j1/outputs/figs/a%20b.png`]: () =>
        new Response(new Uint8Array([1, 2, 3]), {
          headers: { 'Content-Type': 'application/octet-stream' }
        })
    });
    const bytes = await new HBrokerClient(base, fetch).output('j1', 'figs/a b.png');
    expect([...new Uint8Array(bytes)]).toEqual([1, 2, 3]);
    expect(calls.map(c => c.url)).toContain(`${base}api/v1/jobs/j1/outputs/figs/a%20b.png`);
  });
});
