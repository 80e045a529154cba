// Kill -9 the service mid-run, restart it: the job is reconciled, no orphan sandbox, no staged data left.
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { readdirSync } from 'node:fs';
import { stagingDirOf } from '../hub-service/src/service.js';
import { after, describe, it } from 'node:test';
import { jobLabel } from '../hub-service/src/exec/docker.js';
import { file, notebook, submission } from './support/notebook.js';
import { finished, startTestService, type ITestService } from './support/service.js';

const docker = new Docker();
const sandboxesOf = async (jobId: string) =>
  docker.listContainers({ all: true, filters: { label: [`${jobLabel}=${jobId}`] } });

describe('recovery after SIGKILL', () => {
  let hb: ITestService | undefined;
  after(async () => {
    await hb?.stop();
  });

  it('reconciles a running job, removes its sandbox and wipes its data; queued work resumes', async () => {
    // Progress by cell tells when the slow job runs; release policy auto alone would hide it.
    const first = await startTestService(
      { executor: { concurrency: 1 }, vetting: { failure_detail: 'cell' } },
      { child: true }
    );
    const slow = await first.submit(
      await submission([file('analysis.ipynb', notebook('import time\ntime.sleep(600)'))])
    );
    const waiting = await first.submit(
      await submission([file('analysis.ipynb', notebook('print("after restart")'))])
    );
    await first.waitFor(slow.body.id, j => j.state === 'running' && Boolean(j.progress?.cell));
    assert.equal((await sandboxesOf(slow.body.id)).length, 1);
    assert.deepEqual(readdirSync(stagingDirOf(first.config)), [slow.body.id]);

    first.child!.kill('SIGKILL');
    await new Promise(r => first.child!.once('exit', r));
    assert.equal((await sandboxesOf(slow.body.id)).length, 1, 'the sandbox outlived the service');

    hb = await startTestService(
      { executor: { concurrency: 1 }, vetting: { failure_detail: 'cell' } },
      { child: true, dir: first.dir }
    );
    // Same folder, same store; the new tokens are in the new config, the jobs keep their owner.
    const killed = await hb.waitFor(slow.body.id, finished, 30000);
    assert.equal(killed.state, 'system_error');
    assert.match(killed.reason ?? '', /service restarted while the notebook ran/);
    assert.equal((await sandboxesOf(slow.body.id)).length, 0, 'no orphan sandbox');
    const resumed = await hb.waitFor(waiting.body.id, finished);
    assert.equal(resumed.state, 'released', 'the queued job resumed after the restart');
    assert.deepEqual(readdirSync(stagingDirOf(hb.config)), [], 'no staged data left');
  });
});
