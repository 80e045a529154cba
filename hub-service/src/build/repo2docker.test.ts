import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repo2dockerAvailable, runnerLayer } from './repo2docker.js';

describe('the repo2docker builder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hbroker-r2d-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('says clearly when repo2docker is not there, and what to do', async () => {
    const missing = await repo2dockerAvailable(join(dir, 'no-such-repo2docker'));
    assert.equal(missing.ok, false);
    assert.match(
      !missing.ok ? missing.reason : '',
      /^build\.kind is "repo2docker" but ".*no-such-repo2docker --version" could not run \(.*ENOENT.*\)\. Install it \(pip install jupyter-repo2docker\) where a container registry and the internet are reachable, or set build\.kind to "dockerfile"\.$/
    );
    const broken = join(dir, 'broken-repo2docker');
    writeFileSync(broken, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    const failed = await repo2dockerAvailable(broken);
    assert.match(!failed.ok ? failed.reason : '', /--version" exited 3\./);
  });

  it('finds a working repo2docker by its version', async () => {
    const fake = join(dir, 'repo2docker');
    writeFileSync(fake, '#!/bin/sh\necho 2024.07.0\n', { mode: 0o755 });
    assert.deepEqual(await repo2dockerAvailable(fake), { ok: true, version: '2024.07.0' });
  });

  it("puts the runner on repo2docker's image, run as uid 1000", () => {
    const dockerfile = runnerLayer('hbroker-r2d:abc-repo2docker');
    assert.match(dockerfile, /^FROM hbroker-r2d:abc-repo2docker$/m);
    assert.match(dockerfile, /^COPY run\.py \/opt\/hbroker\/runner\/run\.py$/m);
    assert.match(dockerfile, /nbclient==/);
    assert.match(dockerfile, /^USER 1000:1000$/m);
    assert.match(dockerfile, /^ENTRYPOINT \["python", "\/opt\/hbroker\/runner\/run\.py"\]$/m);
  });
});
