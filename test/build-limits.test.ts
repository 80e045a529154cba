// A build that runs too long is stopped: the job's build fails with the limit named, and no build
// container is left behind. A build that fails says which step and why.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BuildRecords, DockerfileBuilder } from '../hub-service/src/build/index.js';
import { parseConfig } from '../hub-service/src/config/index.js';
import { file } from './support/notebook.js';

const docker = new Docker();
const config = parseConfig({}, process.cwd());

describe('build limits and failures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hbroker-build-limits-'));
  const builder = new DockerfileBuilder(
    docker,
    config.executor.image,
    { kind: 'dockerfile', python_versions: ['3.11'], timeout_seconds: 10 },
    new BuildRecords(join(dir, 'records.jsonl'))
  );
  after(() => rmSync(dir, { recursive: true, force: true }));

  const running = async () =>
    (await docker.listContainers({ all: true })).filter(c => /postBuild/.test(c.Command)).length;

  it('stops a build over its time limit and leaves no build container', async () => {
    const before = await running();
    const log: string[] = [];
    const started = Date.now();
    await assert.rejects(
      builder.build({
        jobId: 'slow',
        files: [file('postBuild', `#!/bin/sh\n# ${randomBytes(6).toString('hex')}\nsleep 120\n`)],
        onLog: line => log.push(line)
      }),
      /^HBrokerError: The environment's build took longer than its 10 s limit and was stopped at step \d+ \(RUN chmod 0755 \/opt\/hbroker\/env\/postBuild .*\)\. Make the environment smaller/
    );
    assert.ok(Date.now() - started < 60000, 'it did not wait for the sleep');
    for (let i = 0; i < 50 && (await running()) > before; i++) {
      await new Promise(r => setTimeout(r, 200));
    }
    assert.equal(await running(), before, 'the engine removed the build container');
  });

  it('names the failed step and the error of a build that fails', async () => {
    const log: string[] = [];
    await assert.rejects(
      builder.build({
        jobId: 'broken',
        files: [file('postBuild', `#!/bin/sh\n# ${randomBytes(6).toString('hex')}\nexit 7\n`)],
        onLog: line => log.push(line)
      }),
      /^HBrokerError: The environment did not build: step \d+ \(RUN chmod 0755 \/opt\/hbroker\/env\/postBuild .*\) failed: .*returned a non-zero code: 7\. The job's events hold the whole build log/
    );
    assert.ok(
      log.some(l => /^Step \d+\/\d+ : RUN chmod/.test(l)),
      'the log was streamed'
    );
  });
});
