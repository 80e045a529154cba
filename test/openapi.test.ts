// The REST spec stays in step with the server: every route the spec names answers, and every $ref resolves.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { repoRoot, startTestService, type ITestService } from './support/service.js';

const spec = parse(readFileSync(join(repoRoot, 'schema/openapi.yaml'), 'utf8'));

describe('schema/openapi.yaml', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService();
  });
  after(async () => {
    await hb.stop();
  });

  it('points only at schema files that exist', () => {
    const refs = JSON.stringify(spec).match(/"\.\/[^"#]+"/g) ?? [];
    assert.ok(refs.length >= 7);
    for (const ref of refs) {
      assert.ok(existsSync(join(repoRoot, 'schema', JSON.parse(ref))), `${ref} exists`);
    }
  });

  it('lists 401 and 403 on every API operation, 404 on every job route, 413 and 429 on submissions', () => {
    for (const [path, ops] of Object.entries<Record<string, any>>(spec.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        if (!['get', 'post'].includes(method) || !path.startsWith('/api/v1/')) {
          continue;
        }
        const statuses = Object.keys(op.responses);
        const want = ['401', '403', ...(path.includes('{id}') ? ['404'] : [])];
        if (path === '/api/v1/jobs' && method === 'post') {
          want.push('400', '413', '415', '429');
        }
        for (const status of want) {
          assert.ok(statuses.includes(status), `${method} ${path} lists ${status}`);
        }
      }
    }
  });

  it('describes routes the server has (none answers "not part of the API")', async () => {
    for (const [path, ops] of Object.entries<Record<string, unknown>>(spec.paths)) {
      for (const method of Object.keys(ops).filter(m => ['get', 'post'].includes(m))) {
        const url = path.replace('{id}', 'no-such-job').replace('{path}', 'x.csv');
        const r = await fetch(`${hb.url}${url}`, {
          method: method.toUpperCase(),
          headers: { Authorization: `Bearer ${hb.token}`, 'Content-Type': 'application/json' },
          body: method === 'post' ? '{}' : undefined
        });
        const text = await r.text();
        assert.doesNotMatch(text, /is not part of the HBroker API/, `${method} ${path}`);
      }
    }
  });
});
