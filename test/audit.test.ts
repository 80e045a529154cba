// The audit log is a hash chain: `hbroker audit verify` passes on a real log and names a tampered entry.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { file, notebook, submission } from './support/notebook.js';
import { finished, repoRoot, startTestService, type ITestService } from './support/service.js';

const run = promisify(execFile);
const verify = (config: string) =>
  run(process.execPath, [
    '--import',
    'tsx',
    join(repoRoot, 'hub-service/src/cli/main.ts'),
    'audit',
    'verify',
    '--config',
    config
  ]).then(
    r => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout })
  );

describe('audit', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService();
    const { body } = await hb.submit(
      await submission([file('analysis.ipynb', notebook('print(1)'))])
    );
    await hb.waitFor(body.id, finished);
    await hb.service!.close();
  });
  after(async () => {
    await hb.stop();
  });

  it('records every state change of a job', () => {
    const db = new Database(hb.config.store.path, { readonly: true });
    const states = db
      .prepare("SELECT json_extract(detail, '$.state') AS s FROM audit WHERE action = 'job.state'")
      .all() as { s: string }[];
    db.close();
    assert.deepEqual(
      states.map(r => r.s),
      ['queued', 'archived', 'building', 'staging', 'running', 'checking', 'released']
    );
  });

  it('verifies an untouched log, then names the one entry edited behind its back', async () => {
    const clean = await verify(hb.configFile);
    assert.equal(clean.code, 0, clean.out);
    assert.match(clean.out, /audit chain intact: \d+ entries/);

    const db = new Database(hb.config.store.path);
    assert.throws(
      () => db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 3").run(),
      /append-only/
    );
    db.exec('DROP TRIGGER audit_append_only_u');
    db.prepare(
      "UPDATE audit SET detail = json_set(detail, '$.state', 'released') WHERE seq = 5"
    ).run();
    db.close();

    const tampered = await verify(hb.configFile);
    assert.equal(tampered.code, 1);
    assert.match(tampered.out, /entry 5 \(job\.state\) was edited after it was written/);
    assert.doesNotMatch(tampered.out, /entry 4 /);
  });

  it('notices a deleted entry', async () => {
    const db = new Database(hb.config.store.path);
    db.exec('DROP TRIGGER audit_append_only_d');
    db.prepare('DELETE FROM audit WHERE seq = 2').run();
    db.close();
    const result = await verify(hb.configFile);
    assert.equal(result.code, 1);
    assert.match(result.out, /entry 2 is missing or out of order/);
  });
});
