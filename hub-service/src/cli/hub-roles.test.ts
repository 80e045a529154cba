import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectedRoles, hubRoleChecks } from './hub-roles.js';

const env = {
  JUPYTERHUB_API_URL: 'http://hub.invalid/hub/api/',
  JUPYTERHUB_API_TOKEN: 'secret-token'
};
const answer = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('hbroker doctor: the hub roles and scopes', () => {
  it('says it did not check, and how to, without a hub API', async () => {
    const [[ok, line]] = await hubRoleChecks({}, () => assert.fail('no request'));
    assert.equal(ok, undefined);
    assert.match(line, /not checked: no JupyterHub API here/);
  });

  it('passes the roles the shim declares, and names a role missing or lacking a scope', async () => {
    const asked: string[] = [];
    const roles = Object.entries(expectedRoles)
      .filter(([name]) => name !== 'hbroker-admin')
      .map(([name, scopes]) => ({
        name,
        scopes: name === 'hbroker-reviewer' ? scopes.slice(0, 1) : scopes
      }));
    const lines = await hubRoleChecks(env, async (url, init) => {
      asked.push(`${url} ${init.headers.Authorization === 'token secret-token'}`);
      return answer(200, roles);
    });
    assert.deepEqual(asked, ['http://hub.invalid/hub/api/roles true']);
    assert.deepEqual(
      lines.map(([ok, line]) => [ok, line.split(':')[0]]),
      [
        [true, 'hub role hbroker-researcher holds access'],
        [false, 'hub role hbroker-reviewer lacks custom'],
        [false, 'hub role hbroker-admin is missing'],
        [true, 'hub role hbroker-service holds read']
      ]
    );
    assert.ok(lines.every(([, line]) => !line.includes('secret-token')));
  });

  it("without read:roles, reports the token's own HBroker scopes", async () => {
    const lines = await hubRoleChecks(env, async url =>
      url.endsWith('/roles')
        ? answer(403, { message: 'forbidden' })
        : answer(200, {
            name: 'researcher',
            scopes: [
              'access:services!service=hbroker',
              'custom:hbroker:submit',
              'read:users:name!user'
            ]
          })
    );
    assert.deepEqual(lines, [
      [
        true,
        "researcher holds access:services!service=hbroker, custom:hbroker:submit; the hub's roles need an admin's token (read:roles) to check"
      ]
    ]);
  });

  it('fails in words when the hub does not answer', async () => {
    const [[ok, line]] = await hubRoleChecks(env, async () => {
      throw new Error('connect ECONNREFUSED');
    });
    assert.equal(ok, false);
    assert.match(
      line,
      /the hub does not answer at http:\/\/hub\.invalid\/hub\/api \(connect ECONNREFUSED\): is JupyterHub running\?/
    );
  });
});
