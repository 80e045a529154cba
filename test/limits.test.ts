// Each resource limit ends the run in run_failed with a reason that names it; the service keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { file, notebook, submission } from './support/notebook.js';
import { finished, startTestService, type ITestService } from './support/service.js';

describe('sandbox limits', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService({
      executor: { pids: 64, tmp_mb: 16, output_mb: 2, output_files: 20, concurrency: 2 },
      // These tests read the reasons a failed run gives, which release policy auto hides by default.
      vetting: { failure_detail: 'cell' }
    });
  });
  after(async () => {
    await hb.stop();
  });

  const runToEnd = async (cells: string[], manifest = {}) => {
    const { status, body } = await hb.submit(
      await submission([file('analysis.ipynb', notebook(...cells))], manifest)
    );
    assert.equal(status, 201, JSON.stringify(body));
    return hb.waitFor(body.id, finished);
  };

  const cases: [string, string[], object, RegExp][] = [
    [
      'a timeout',
      ['import time\ntime.sleep(120)'],
      { resources: { timeout_seconds: 8 } },
      /^timed out: .*8 s limit/
    ],
    [
      'a fork bomb',
      [
        'import os, time\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        time.sleep(0.1)\n        break'
      ],
      {},
      /^process limit reached/
    ],
    [
      'a memory bomb',
      ['x = []\nwhile True:\n    x.append(bytearray(50 * 1024 * 1024))'],
      { resources: { memory_mb: 256 } },
      /^out of memory: .*256 MiB/
    ],
    [
      'a full /tmp',
      ['with open("/tmp/fill", "wb") as f:\n    while True:\n        f.write(b"x" * 1048576)'],
      {},
      /^disk full: .*\/tmp \(16 MiB\)/
    ],
    [
      'outputs over quota',
      [
        'import os\nos.makedirs("out", exist_ok=True)\nopen("out/big.csv", "wb").write(os.urandom(3 * 1048576))'
      ],
      { outputs: ['out'] },
      /^output over quota: .*2 MiB/
    ]
  ];

  for (const [what, cells, manifest, reason] of cases) {
    it(`ends ${what} in run_failed, saying so`, async () => {
      const job = await runToEnd(cells, manifest);
      assert.equal(job.state, 'run_failed');
      assert.match(job.reason ?? '', reason);
      assert.equal(job.artifacts.length, 0, 'nothing of a failed run is offered');
      const healthy = await runToEnd(['print(6 * 7)']);
      assert.equal(healthy.state, 'released', 'the service still runs other jobs');
    });
  }

  it('ends a fork bomb that never stops forking as soon as the process limit refuses a fork', async t => {
    const limit = 120;
    const job = await runToEnd(
      [
        'import os, time\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        time.sleep(0.01)'
      ],
      { resources: { timeout_seconds: limit } }
    );
    assert.equal(job.state, 'run_failed');
    assert.match(job.reason ?? '', /^process limit reached: .*64 processes/);
    const states = (await hb.events(job.id)).filter(e => e.type === 'state');
    const at = (state: string) => Date.parse(states.find(e => e.state === state)!.at);
    const ran = (at('run_failed') - at('running')) / 1000;
    t.diagnostic(`the fork bomb ended after ${ran} s of its ${limit} s limit`);
    assert.ok(ran < limit / 4, `ended after ${ran} s of its ${limit} s limit`);
  });

  it('names the cell and exception class of a failing cell, never its message', async () => {
    const job = await runToEnd(['x = 1', 'raise ValueError("patient p007 is secret")']);
    assert.equal(job.state, 'run_failed');
    assert.equal(job.reason, 'non-zero exit: cell 2 of 2 raised ValueError');
  });
});
