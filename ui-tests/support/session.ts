// What the global setup hands the tests (through the environment) and the researcher's HTTP calls
// made from the test itself with their API token: the user's server (Contents API) and the service.
import type { Contents } from '@jupyterlab/services';
export const researcher = 'researcher';

export const env = {
  hubUrl: 'HBROKER_UI_HUB_URL',
  storageState: 'HBROKER_UI_STORAGE_STATE',
  token: 'HBROKER_UI_TOKEN'
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run the UI tests with playwright test, whose global setup sets it`
    );
  }
  return value;
}

export const hubUrl = () => required(env.hubUrl);
export const labBaseUrl = () => `${hubUrl()}/user/${researcher}`;
export const storageState = () => required(env.storageState);

async function call(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    ...init,
    headers: { Authorization: `token ${required(env.token)}`, ...(init.headers ?? {}) }
  });
}

/** The researcher's files, through the Contents API of their server (undefined when absent). */
export async function contents(path: string): Promise<Contents.IModel | undefined> {
  const r = await call(`${labBaseUrl()}/api/contents/${encodeURI(path)}?content=1`);
  if (r.status === 404) {
    return undefined;
  }
  if (!r.ok) {
    throw new Error(`contents ${path}: ${r.status} ${await r.text()}`);
  }
  return (await r.json()) as Contents.IModel;
}

/** Writes a file or folder in the researcher's server through the Contents API. */
export async function putContents(path: string, model: Record<string, unknown>): Promise<void> {
  const r = await call(`${labBaseUrl()}/api/contents/${encodeURI(path)}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(model)
  });
  if (!r.ok) {
    throw new Error(`put ${path}: ${r.status} ${await r.text()}`);
  }
}

/** The HBroker service's API as the researcher (token auth, as a script in their server would). */
export async function service<T = any>(path: string): Promise<T> {
  const r = await call(`${hubUrl()}/services/hbroker/api/v1${path}`);
  if (!r.ok) {
    throw new Error(`service ${path}: ${r.status} ${await r.text()}`);
  }
  return (await r.json()) as T;
}

/** The bytes of a released output, as the service serves it. */
export async function releasedOutput(job: string, path: string): Promise<Buffer> {
  const r = await call(
    `${hubUrl()}/services/hbroker/api/v1/jobs/${job}/outputs/${encodeURI(path)}`
  );
  if (!r.ok) {
    throw new Error(`output ${path} of ${job}: ${r.status}`);
  }
  return Buffer.from(await r.arrayBuffer());
}
