// Ingress no client can hurt: bodies are read only after authentication, per-caller limits, streamed
// bundles in bounded memory, aborted uploads cleaned up and logged as one line, refusals audited in sum.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packBundle } from '../hub-service/src/bundle/index.js';
import { ApiClient } from '../hub-service/src/cli/client.js';
import { file, notebook } from './support/notebook.js';
import { multipartHead, rawRequest, rssOf, rssPeak, stalledRequest } from './support/raw-http.js';
import { startTestService, type ITestService } from './support/service.js';

const MB = 1048576;
const portOf = (hb: ITestService) => Number(new URL(hb.url).port);
const settle = () => new Promise(r => setTimeout(r, 300));

/** Resident memory of an idle service: the median of a few samples after some ordinary requests. */
async function idleRss(hb: ITestService): Promise<number> {
  for (let i = 0; i < 20; i++) {
    await hb.api('/api/v1/jobs');
  }
  await settle();
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssOf(hb.child!.pid!));
    await new Promise(r => setTimeout(r, 50));
  }
  return samples.sort((a, b) => a - b)[2];
}

describe('ingress: unauthenticated bodies are never read', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService({ limits: { bundle_mb: 80 } }, { child: true });
  });
  after(async () => {
    await hb.stop();
  });

  it('answers sixteen concurrent 68 MB uploads without a valid token 401, reading none, in bounded memory', async () => {
    const idle = await idleRss(hb);
    const peak = rssPeak(hb.child!.pid!);
    const size = 68 * MB;
    const uploads = Array.from({ length: 16 }, (_, i) => {
      const auth = i % 2 ? 'Authorization: Bearer not-a-token\r\n' : '';
      const type = i % 4 < 2 ? 'application/json' : 'multipart/form-data; boundary=x';
      return rawRequest(
        portOf(hb),
        `POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: ${type}\r\nContent-Length: ${size}`,
        { prefix: Buffer.from('{"manifest": not json'), total: size }
      );
    });
    const answers = await Promise.all(uploads);
    const top = peak.stop();
    for (const a of answers) {
      assert.equal(a.status, 401, a.text.slice(0, 300));
      assert.match(a.text, /This API needs a token/);
      assert.match(a.text, /Connection: close/i);
      assert.ok(a.sent < size, 'the service closed the connection before taking the body');
    }
    const growth = top - idle;
    console.log(
      `# idle ${(idle / MB).toFixed(0)} MB, peak ${(top / MB).toFixed(0)} MB during 16 × 68 MB unauthenticated uploads (×${(top / idle).toFixed(2)})`
    );
    assert.ok(growth < 48 * MB, `memory grew by ${(growth / MB).toFixed(0)} MB over idle`);
  });

  it('answers "Expect: 100-continue" without a token with 401, never asking for the body; with a token it asks', async () => {
    const head = (auth: string) =>
      `POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${50 * MB}\r\nExpect: 100-continue`;
    const anonymous = await rawRequest(portOf(hb), head(''), { waitForAnswer: true });
    assert.equal(anonymous.status, 401, anonymous.text);
    const known = await rawRequest(portOf(hb), head(`Authorization: Bearer ${hb.token}\r\n`), {
      waitForAnswer: true
    });
    assert.equal(known.status, 100, known.text);
  });

  it('refuses a multipart part without a name in words and keeps serving (found by schemathesis)', async () => {
    const body = '--b\r\nContent-Disposition: form-data\r\n\r\n{}\r\n--b--\r\n';
    const r = await fetch(`${hb.url}/api/v1/jobs`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${hb.token}`,
        'Content-Type': 'multipart/form-data; boundary=b'
      },
      body
    });
    assert.equal(r.status, 400);
    assert.match((await r.json()).error.message, /The part without a name is unknown/);
    assert.equal((await fetch(`${hb.url}/health`)).status, 200);
  });

  it('answers a method a path does not have 405 with Allow, and an unknown path 404', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const r = await fetch(`${hb.url}/api/v1/jobs`, { method });
      assert.equal(r.status, 405);
      assert.equal(r.headers.get('allow'), 'GET, HEAD, POST');
      assert.match(
        (await r.json()).error.message,
        /is not allowed on \/api\/v1\/jobs; use GET or HEAD or POST/
      );
    }
    const trace = await rawRequest(
      portOf(hb),
      'TRACE /api/v1/jobs/x HTTP/1.1\r\nHost: x\r\nConnection: close'
    );
    assert.equal(trace.status, 405, trace.text);
    assert.match(trace.text, /Allow: GET, HEAD/);
    const post = await fetch(`${hb.url}/health`, { method: 'POST' });
    assert.equal(post.status, 405);
    const unknown = await fetch(`${hb.url}/api/v1/nothing-here`);
    assert.equal(unknown.status, 404);
  });
});

describe('ingress: per-caller limits and aborted uploads', () => {
  let hb: ITestService;
  let log = '';
  before(async () => {
    hb = await startTestService(
      {
        log_level: 'info',
        limits: { bundle_mb: 10, concurrent_submissions: 2, caller_inflight_mb: 20 }
      },
      { child: true }
    );
    hb.child!.stdout!.on('data', d => (log += d));
  });
  after(async () => {
    await hb.stop();
  });

  const manifest = { notebook: 'analysis.ipynb', study: 'demo' };
  let tarStart: Buffer;
  before(async () => {
    // A valid tar header announcing a 64 KiB file, and the first 1 KiB of it: the service waits for more.
    tarStart = (await packBundle([file('big.bin', Buffer.alloc(64 * 1024, 1))])).subarray(
      0,
      512 + 1024
    );
  });
  const stall = (token: string, declared: number) => {
    const { head } = multipartHead('b0undary', manifest);
    return stalledRequest(
      portOf(hb),
      `POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: multipart/form-data; boundary=b0undary\r\nContent-Length: ${declared}`,
      Buffer.concat([head, tarStart])
    );
  };
  const scratch = () => join(hb.config.state_dir, 'ingress');
  const scratchEmpty = () => !existsSync(scratch()) || readdirSync(scratch()).length === 0;

  it('refuses a third concurrent submission of one caller with 429, not another caller, and frees slots on abort', async () => {
    const first = await stall(hb.token, MB);
    const second = await stall(hb.token, MB);
    await settle();
    assert.equal(readdirSync(scratch()).length, 2, 'both uploads are being received');
    const third = await stall(hb.token, MB);
    const refused = await third.answer;
    assert.match(refused, /^HTTP\/1\.1 429/);
    assert.match(
      refused,
      /researcher already has 2 submissions uploading \(the limit is 2\)\. Wait until they have finished/
    );
    const other = await stall(hb.otherToken, MB);
    await settle();
    other.abort();
    first.abort();
    second.abort();
    await settle();
    assert.ok(scratchEmpty(), 'aborted uploads leave nothing in the scratch folder');
    const again = await stall(hb.token, MB);
    await settle();
    again.abort();
    assert.doesNotMatch(await again.answer, /429/, 'slots are given back when uploads end');
  });

  it('refuses bytes in flight over the per-caller limit with 429', async () => {
    const big = await stall(hb.token, 12 * MB);
    const r = await rawRequest(
      portOf(hb),
      `POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${hb.token}\r\nContent-Type: application/json\r\nContent-Length: ${12 * MB}`,
      { total: 12 * MB }
    );
    big.abort();
    assert.equal(r.status, 429, r.text.slice(0, 300));
    assert.match(
      r.text,
      /12 MB of uploads in flight and this request would add 12 MB \(the limit is 20 MB per caller\)/
    );
  });

  it('logs an aborted upload as one info line without a stack, never as an error', async () => {
    await settle();
    log = '';
    const cut = await stall(hb.token, MB);
    await settle();
    cut.abort();
    await settle();
    const lines = log
      .split('\n')
      .filter(Boolean)
      .map(l => JSON.parse(l));
    const aborted = lines.filter(l => l.msg === 'request aborted by the client');
    assert.equal(aborted.length, 1, log);
    assert.equal(aborted[0].level, 30, 'info');
    assert.equal(aborted[0].err, undefined);
    assert.ok(!lines.some(l => l.level >= 50), `no error lines: ${log}`);
    assert.doesNotMatch(log, /unhandled error|\n\s+at /);
    assert.ok(scratchEmpty());
  });
});

describe('ingress: a streamed 68 MB submission', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService({ limits: { bundle_mb: 80 } }, { child: true });
  });
  after(async () => {
    await hb.stop();
  });

  it('is accepted in memory under 100 MB above idle, as the CLI sends it', async () => {
    const tarball = await packBundle([
      file('analysis.ipynb', notebook('print(1)')),
      file('data/a.bin', randomBytes(40 * MB)),
      file('data/b.bin', randomBytes(28 * MB))
    ]);
    const idle = await idleRss(hb);
    const peak = rssPeak(hb.child!.pid!);
    process.env.HBROKER_TOKEN = hb.token;
    const client = new ApiClient({ url: hb.url });
    const job = await client.submit({ notebook: 'analysis.ipynb', study: 'demo' }, tarball);
    const top = peak.stop();
    await hb.api(`/api/v1/jobs/${job.id}/cancel`, { method: 'POST' });
    assert.ok(['archived', 'building'].includes(job.state), job.state);
    const growth = top - idle;
    console.log(
      `# idle ${(idle / MB).toFixed(0)} MB, peak ${(top / MB).toFixed(0)} MB while receiving a streamed ${(tarball.length / MB).toFixed(0)} MB bundle (+${(growth / MB).toFixed(0)} MB)`
    );
    assert.ok(growth < 100 * MB, `memory grew by ${(growth / MB).toFixed(0)} MB over idle`);
  });
});

describe('ingress: refusals in the audit log', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService({ audit: { refusal_window_seconds: 1 } });
  });
  after(async () => {
    await hb.stop();
  });

  it('sums refusals per caller and reason over a window instead of one entry per request', async () => {
    for (let i = 0; i < 30; i++) {
      const r = await fetch(`${hb.url}/api/v1/jobs`, { method: 'POST', body: '{}' });
      assert.equal(r.status, 401);
    }
    for (let i = 0; i < 5; i++) {
      const r = await hb.api('/api/v1/jobs', {
        method: 'POST',
        body: JSON.stringify({
          manifest: { notebook: 'a.ipynb', study: 'no-such-study' },
          bundle: ''
        })
      });
      assert.equal(r.status, 400);
    }
    await new Promise(r => setTimeout(r, 2500));
    const refused = hb.service!.journal.store.audit().filter(e => e.action === 'request.refused');
    const sum = (actor: RegExp, code: string) =>
      refused
        .filter(e => actor.test(e.actor) && (e.detail as { code: string }).code === code)
        .map(e => (e.detail as { count: number }).count);
    const anonymous = sum(/^anonymous .*127\.0\.0\.1$/, 'unauthenticated');
    assert.ok(anonymous.length <= 2, `one entry per window, not per request: ${anonymous}`);
    assert.equal(
      anonymous.reduce((a, b) => a + b, 0),
      30
    );
    const studies = sum(/^researcher$/, 'unknown_study');
    assert.ok(studies.length <= 2);
    assert.equal(
      studies.reduce((a, b) => a + b, 0),
      5
    );
    assert.equal(
      hb.service!.journal.store.audit().filter(e => e.action === 'job.refused').length,
      0
    );
  });
});
