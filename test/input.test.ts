// Bad input gets a 4xx with a sentence saying what was wrong, and nothing is stored.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tar from 'tar-stream';
import { file, notebook, submission } from './support/notebook.js';
import { startTestService, type ITestService } from './support/service.js';

async function tarOf(entries: (Partial<tar.Header> & { name: string })[]): Promise<string> {
  const pack = tar.pack();
  for (const h of entries) {
    pack.entry(h as tar.Header, h.type === 'file' || !h.type ? Buffer.from(notebook('1')) : '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) {
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('base64');
}

describe('bad input', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService({ limits: { bundle_mb: 1 } });
  });
  after(async () => {
    await hb.stop();
  });

  const nothingStored = async () => {
    const { body } = await hb.api('/api/v1/jobs');
    assert.equal(body.jobs.length, 0, 'no job was stored');
    const archived = readdirSync(join(hb.config.state_dir, 'archive', 'objects'));
    assert.deepEqual(archived, [], 'nothing reached the archive');
  };

  const refused = async (body: unknown, status: number, message: RegExp) => {
    const r = await hb.submit(body);
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.match(r.body.error.message, message);
    await nothingStored();
  };

  it('refuses a malformed notebook', async () => {
    await refused(
      await submission([file('analysis.ipynb', '{"cells": [')]),
      400,
      /not valid JSON .*Save it from JupyterLab/
    );
    await refused(
      await submission([file('analysis.ipynb', '{"cells": []}')]),
      400,
      /not a Jupyter notebook in format 4/
    );
  });

  it('refuses paths that climb out, absolute paths and links', async () => {
    await refused(
      {
        manifest: { notebook: 'analysis.ipynb', study: 'demo' },
        bundle: await tarOf([
          { name: '../analysis.ipynb', type: 'file', size: notebook('1').length }
        ])
      },
      400,
      /"\.\.\/analysis\.ipynb" climbs out of the folder/
    );
    await refused(
      {
        manifest: { notebook: 'analysis.ipynb', study: 'demo' },
        bundle: await tarOf([
          { name: '/etc/analysis.ipynb', type: 'file', size: notebook('1').length }
        ])
      },
      400,
      /is absolute/
    );
    await refused(
      {
        manifest: { notebook: 'analysis.ipynb', study: 'demo' },
        bundle: await tarOf([{ name: 'analysis.ipynb', type: 'symlink', linkname: '/etc/passwd' }])
      },
      400,
      /"analysis\.ipynb" is a symlink, not a regular file/
    );
    await refused(
      {
        manifest: { notebook: 'analysis.ipynb', study: 'demo' },
        bundle: await tarOf([{ name: 'data.csv', type: 'link', linkname: 'analysis.ipynb' }])
      },
      400,
      /is a link, not a regular file/
    );
    await refused(
      await submission([file('analysis.ipynb', notebook('1'))], { outputs: ['../../etc/shadow'] }),
      400,
      /requested output .* climbs out/
    );
  });

  it('refuses an oversized bundle', async () => {
    const big = Buffer.alloc(1.05 * 1048576, 'a');
    await refused(
      await submission([file('analysis.ipynb', notebook('1')), file('big.csv', big)]),
      400,
      /larger than the 1 MB limit/
    );
    const huge = Buffer.alloc(2 * 1048576, 'a');
    await refused(
      await submission([file('analysis.ipynb', notebook('1')), file('big.csv', huge)]),
      413,
      /larger than this service accepts/
    );
  });

  it('refuses unknown fields and bad values, naming them', async () => {
    const good = await submission([file('analysis.ipynb', notebook('1'))]);
    await refused({ ...good, priority: 'high' }, 400, /submission: unknown field "priority"/);
    await refused(
      { ...good, manifest: { ...good.manifest, gpu: true } },
      400,
      /submission\.manifest: unknown field "gpu"/
    );
    await refused({ bundle: good.bundle }, 400, /missing required field "manifest"/);
    await refused(
      { ...good, manifest: { ...good.manifest, resources: { memory_mb: 999999 } } },
      400,
      /memory_mb \(999999\) is over this service's limit/
    );
    await refused({ ...good, bundle: 'not base64!' }, 400, /not base64/);
    await refused(
      { ...good, bundle: Buffer.from('garbage that is no tar').toString('base64') },
      400,
      /not a readable tar|no notebook/
    );
    await refused(
      await submission([file('other.ipynb', notebook('1'))]),
      400,
      /no notebook at "analysis\.ipynb"/
    );
    await refused(
      await submission([file('analysis.ipynb', notebook('1'))], { study: 'elsewhere' }),
      400,
      /Study "elsewhere" has no data on this service/
    );
  });

  it('refuses a body that is not JSON, and calls without a token', async () => {
    const r = await fetch(`${hb.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${hb.token}`, 'Content-Type': 'application/json' },
      body: '{"manifest":'
    });
    assert.equal(r.status, 400);
    assert.match((await r.json()).error.message, /not valid JSON/);
    const anonymous = await fetch(`${hb.url}/api/v1/jobs`);
    assert.equal(anonymous.status, 401);
    assert.match((await anonymous.json()).error.message, /Authorization: Bearer/);
    const wrong = await hb.api('/api/v1/jobs', { as: 'not-a-token' });
    assert.equal(wrong.status, 401);
    await nothingStored();
  });

  it('lists the studies and the limits a submission must keep to', async () => {
    const studies = await hb.api('/api/v1/studies');
    assert.equal(studies.status, 200);
    assert.deepEqual(studies.body, { studies: [{ id: 'demo', name: 'demo' }] });
    const limits = await hb.api('/api/v1/limits');
    assert.equal(limits.status, 200);
    assert.equal(limits.body.release_policy, 'auto');
    assert.equal(limits.body.bundle_mb, hb.config.limits.bundle_mb);
    assert.deepEqual(limits.body.max, hb.config.limits.max);
    assert.ok(limits.body.default.timeout_seconds <= limits.body.max.timeout_seconds);
    const anonymous = await fetch(`${hb.url}/api/v1/studies`);
    assert.equal(anonymous.status, 401);
  });

  it('answers health and metrics', async () => {
    const me = await hb.api('/api/v1/me');
    assert.deepEqual(me.body, {
      user: 'researcher',
      admin: false,
      scopes: ['custom:hbroker:submit'],
      jhe_token: 'not_applicable'
    });
    const health = await fetch(`${hb.url}/health`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).checks.engine, 'ok');
    // Run times by outcome would tell a researcher how a run ended: admins only.
    assert.equal((await fetch(`${hb.url}/metrics`)).status, 401);
    const asResearcher = await fetch(`${hb.url}/metrics`, {
      headers: { Authorization: `Bearer ${hb.token}` }
    });
    assert.equal(asResearcher.status, 403);
    const metrics = await (
      await fetch(`${hb.url}/metrics`, { headers: { Authorization: `Bearer ${hb.checkerToken}` } })
    ).text();
    assert.match(metrics, /hbroker_submissions_refused_total\{code="invalid_bundle"\} [1-9]/);
  });
});
