// hbroker submit / jobs / doctor, as a researcher and an admin would type them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { LocalArchive } from '../hub-service/src/archive/index.js';
import { notebook } from './support/notebook.js';
import { repoRoot, startTestService, type ITestService } from './support/service.js';

const exec = promisify(execFile);

describe('the hbroker CLI', () => {
  let hb: ITestService;
  let folder: string;
  const hbroker = (args: string[], env: Record<string, string> = {}) =>
    exec(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'hub-service/src/cli/main.ts'), ...args],
      {
        env: { ...process.env, HBROKER_URL: hb.url, HBROKER_TOKEN: hb.token, ...env }
      }
    ).then(
      r => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        out: e.stdout,
        err: e.stderr
      })
    );

  before(async () => {
    // The CLI's progress by cell is asserted; release policy auto alone would hide it.
    hb = await startTestService({ vetting: { failure_detail: 'cell' } });
    folder = mkdtempSync(join(tmpdir(), 'hbroker-cli-'));
    writeFileSync(
      join(folder, 'analysis.ipynb'),
      notebook(
        // Counts of at least 10 by group: a table the automatic checks pass (a bare column of numbers is
        // no frequency table).
        'import pandas as pd\npd.DataFrame({"group": ["a", "b"], "n": [12, 20]}).to_csv("counts.csv", index=False)',
        // The kernel's own stderr goes to its log, which waits for a checker: one withheld output.
        'open("notes.txt", "w").write(open("params.txt").read())\nimport os\n_ = os.write(2, b"notes copied\\n")'
      )
    );
    writeFileSync(join(folder, 'params.txt'), 'alpha=0.05\n');
    writeFileSync(join(folder, 'private-notes.md'), 'not for the archive\n');
    writeFileSync(join(folder, 'requirements.txt'), 'pandas\n');
    writeFileSync(join(folder, '.hbrokerignore'), 'private-notes.md\n');
    mkdirSync(join(folder, '.ipynb_checkpoints'));
    writeFileSync(join(folder, '.ipynb_checkpoints', 'analysis-checkpoint.ipynb'), '{}');
  });
  after(async () => {
    rmSync(folder, { recursive: true, force: true });
    await hb.stop();
  });

  it('submits, follows and downloads the released outputs, honouring .hbrokerignore', async () => {
    const r = await hbroker([
      'submit',
      join(folder, 'analysis.ipynb'),
      '--study',
      'demo',
      '-o',
      'counts.csv',
      'notes.txt',
      '--wait'
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^submitted job (\S+) \(4 files\)$/m);
    assert.match(
      r.out,
      /^running\n {2}2 code cells to run\n {2}cell 1 of 2\n {2}cell 2 of 2\nchecking\nreleased$/m
    );
    const jobId = /^submitted job (\S+)/m.exec(r.out)![1];
    const results = join(folder, 'sensitive-results', jobId);
    assert.deepEqual(readdirSync(results).sort(), ['analysis.ipynb', 'counts.csv', 'notes.txt']);
    assert.equal(readFileSync(join(results, 'counts.csv'), 'utf8'), 'group,n\na,12\nb,20\n');
    assert.equal(readFileSync(join(results, 'notes.txt'), 'utf8'), 'alpha=0.05\n');
    assert.match(r.out, /withheld: hbroker-logs\/kernel\.log/);
    assert.match(r.out, /^2 of 2 requested outputs released$/m);

    const record = new LocalArchive(join(hb.config.state_dir, 'archive')).record(jobId);
    assert.deepEqual(
      record.files.map(f => f.path),
      ['.hbrokerignore', 'analysis.ipynb', 'params.txt', 'requirements.txt']
    );
    assert.deepEqual(record.manifest.environment, { files: ['requirements.txt'] });

    const jobs = await hbroker(['jobs']);
    assert.match(
      jobs.out,
      new RegExp(
        `^${jobId}\\s+released\\s+\\S+\\s+analysis\\.ipynb\\s+2 of 2 requested outputs released$`,
        'm'
      )
    );
  });

  it('refuses a folder with a symbolic link, saying what to do', async () => {
    symlinkSync('/etc/hostname', join(folder, 'hostname'));
    const r = await hbroker(['submit', join(folder, 'analysis.ipynb'), '--study', 'demo']);
    rmSync(join(folder, 'hostname'));
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /hostname is a symbolic link; bundles hold regular files only\. Copy the file in, or add it to hbroker-ignore\.txt\./
    );
  });

  it('explains a missing token and an unknown study', async () => {
    const noToken = await hbroker(['jobs'], { HBROKER_TOKEN: '', JUPYTERHUB_API_TOKEN: '' });
    assert.equal(noToken.code, 2);
    assert.match(noToken.err, /No API token: set HBROKER_TOKEN/);
    const r = await hbroker([
      'submit',
      join(folder, 'analysis.ipynb'),
      '--study',
      'no-such-study',
      '--wait'
    ]);
    assert.equal(r.code, 2);
    assert.match(r.err, /Study "no-such-study" has no data on this service\. Check the study id/);
  });

  it('doctor reports the engine, runtime, image and store', async () => {
    const r = await hbroker(['doctor', '--config', hb.configFile]);
    assert.equal(r.code, 0, r.out);
    for (const line of [
      /^ok {3}Docker engine/m,
      /^ok {3}runtime "runc" is registered/m,
      /^ok {3}run base image/m,
      /^ok {3}audit chain intact/m
    ]) {
      assert.match(r.out, line);
    }
  });
});
