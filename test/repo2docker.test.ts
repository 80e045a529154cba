// build.kind "repo2docker" where repo2docker is missing: the service refuses to start and doctor says why.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, startTestService } from './support/service.js';

const exec = promisify(execFile);
const build = { kind: 'repo2docker', repo2docker_command: 'hbroker-test-no-repo2docker' };
const why =
  /build\.kind is "repo2docker" but "hbroker-test-no-repo2docker --version" could not run .*\. Install it \(pip install jupyter-repo2docker\) where a container registry and the internet are reachable, or set build\.kind to "dockerfile"\./;

describe('the repo2docker builder chosen without repo2docker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hbroker-r2d-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stops the service from starting, saying what to do', async () => {
    await assert.rejects(startTestService({ build }, { dir }), (e: Error) => {
      assert.match(e.message, why);
      return true;
    });
  });

  it('is a failed line of hbroker doctor', async () => {
    const r = await exec(process.execPath, [
      '--import',
      'tsx',
      join(repoRoot, 'hub-service/src/cli/main.ts'),
      'doctor',
      '--config',
      join(dir, 'hbroker.config.json')
    ]).then(
      () => ({ code: 0, out: '' }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout })
    );
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`^FAIL ${why.source}$`, 'm'));
  });
});
