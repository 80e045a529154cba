// Kill -9 the service while it receives or archives a large bundle, restart it: nothing half-written is left.
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Job } from '../hub-service/src/schema/index.js';
import { file, notebook, submission } from './support/notebook.js';
import { finished, repoRoot, startTestService, type ITestService } from './support/service.js';

const exec = promisify(execFile);

/** Every name under the folder that ends in .tmp, the service's partial-file names. */
function partialsUnder(dir: string): string[] {
  let found: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.name.endsWith('.tmp')) {
      found.push(path);
    }
    if (e.isDirectory()) {
      found = found.concat(partialsUnder(path));
    }
  }
  return found;
}

const doctor = (configFile: string) =>
  exec(process.execPath, [
    '--import',
    'tsx',
    join(repoRoot, 'hub-service/src/cli/main.ts'),
    'doctor',
    '--config',
    configFile
  ]).then(
    r => r.stdout,
    (e: { stdout: string }) => e.stdout
  );

/**
 * Watches a folder while `work` runs and stops the service the moment a partial file is there:
 * SIGSTOP freezes it, a second look confirms the file is still partial, then SIGKILL. False when `work`
 * ended first (the files were written between two looks).
 */
async function killWhilePartial(child: ChildProcess, dir: string, work: Promise<unknown>) {
  let done = false;
  void work.finally(() => (done = true)).catch(() => undefined);
  while (!done) {
    if (partialsUnder(dir).length > 0) {
      child.kill('SIGSTOP');
      if (partialsUnder(dir).length > 0) {
        child.kill('SIGKILL');
        await new Promise(r => child.once('exit', r));
        return true;
      }
      child.kill('SIGCONT');
    }
    await new Promise(r => setImmediate(r));
  }
  return false;
}

describe('a crash while a large bundle is received and archived', () => {
  let first: ITestService | undefined;
  let hb: ITestService | undefined;
  after(async () => {
    await hb?.stop();
    // The first service is gone if the test got as far as killing it; never leave it running.
    const child = first?.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  });

  it('leaves no partial file after the restart; what was cut short was never accepted or ends in system_error', async () => {
    const config = { limits: { bundle_mb: 100 }, executor: { concurrency: 1 } };
    const service = await startTestService(config, { child: true });
    first = service;
    const stateDir = service.config.state_dir;
    const accepted: string[] = [];
    let killed = false;
    for (let attempt = 0; attempt < 6 && !killed; attempt++) {
      // Fresh random content each time: the archive is content-addressed and skips what it has.
      const files = [file('analysis.ipynb', notebook('print(1)'))];
      for (let i = 0; i < 12; i++) {
        files.push(file(`data/part-${i}.bin`, randomBytes(5 * 1048576)));
      }
      const body = await submission(files);
      const submitting = service.submit(body);
      // The upload's scratch folder (ingress/) and archive objects are both written under partial names.
      killed = await killWhilePartial(service.child!, stateDir, submitting);
      if (!killed) {
        const answered = await submitting;
        assert.equal(answered.status, 201, JSON.stringify(answered.body));
        accepted.push(answered.body.id);
      }
    }
    assert.ok(killed, 'the service was killed while a partial file was on disk');
    const left = partialsUnder(stateDir);
    assert.ok(
      left.length > 0 &&
        left.every(
          p => p.startsWith(join(stateDir, 'ingress')) || p.startsWith(join(stateDir, 'archive'))
        ),
      `the crash left partial uploads or archive objects: ${left.join(', ')}`
    );

    const report = await doctor(service.configFile);
    assert.match(
      report,
      /^FAIL \d+ partial file\(s\) left in the state folder by a service that stopped while writing them \((ingress|archive\/objects)\/.*\): the next start of hbroker serve removes them$/m,
      report
    );

    hb = await startTestService(config, { child: true, dir: service.dir });
    assert.deepEqual(partialsUnder(stateDir), [], 'no partial file anywhere in the state folder');
    assert.match(await doctor(hb.configFile), /^ok {3}no partial files left in the state folder/m);

    const { body } = await hb.api('/api/v1/jobs');
    const jobs = body.jobs as Job[];
    for (const id of accepted) {
      assert.ok(
        jobs.some(j => j.id === id),
        `the accepted job ${id} is still there`
      );
    }
    for (const j of jobs) {
      if (accepted.includes(j.id)) {
        // Archived whole before the crash: it resumes, or ends as a run the crash cut short.
        const end = await hb.waitFor(j.id, finished);
        assert.ok(
          end.state === 'released' ||
            /the service restarted while the notebook ran/.test(end.reason ?? ''),
          JSON.stringify(end)
        );
      } else {
        // Stored but not yet archived when the service died (an upload cut short stores no job).
        assert.equal(j.state, 'system_error', JSON.stringify(j));
        assert.match(
          j.reason ?? '',
          /the service stopped before the bundle was archived; submit it again/
        );
      }
    }
    assert.deepEqual(partialsUnder(stateDir), [], 'still none after the resumed jobs ran');
  });
});
