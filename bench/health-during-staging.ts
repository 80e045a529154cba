// Benchmark: /health latency while a large study stages and its run is vetted, against the same service idle,
// both measured here, now. Prints p50/p99 and their ratios; asserts nothing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantile, sampler, writeLargeStudy } from '../test/support/latency.js';
import { file, notebook, submission } from '../test/support/notebook.js';
import { finished, startTestService } from '../test/support/service.js';

const rows = Number(process.env.BENCH_STUDY_ROWS ?? 300_000);
const dir = mkdtempSync(join(tmpdir(), 'hbroker-bench-'));
writeLargeStudy(join(dir, 'studies', 'large'), rows);
const hb = await startTestService({ executor: { concurrency: 1 } }, { child: true, dir });

const run = async (study: string) => {
  const { status, body } = await hb.submit(
    await submission([file('analysis.ipynb', notebook('print(1)'))], { study })
  );
  if (status !== 201) {
    throw new Error(JSON.stringify(body));
  }
  return body.id as string;
};

try {
  // Warm: the image, the worker threads.
  await hb.waitFor(await run('demo'), finished);
  const idle = sampler(hb.url, '/health', hb.token, 50);
  await new Promise(r => setTimeout(r, 5000));
  const idleMs = (await idle.stop()).map(s => s.ms);

  const busy = sampler(hb.url, '/health', hb.token, 50);
  const id = await run('large');
  await hb.waitFor(id, finished);
  const all = await busy.stop();
  const events = await hb.events(id);
  const at = (state: string) =>
    Date.parse(events.find(e => e.type === 'state' && e.state === state)!.at);
  const window = (from: string, to: string) =>
    all.filter(s => s.sent >= at(from) && s.sent <= at(to)).map(s => s.ms);
  const staging = window('staging', 'running');
  const checking = window('checking', 'released');

  const line = (name: string, xs: number[]) => {
    const p50 = quantile(xs, 0.5);
    const p99 = quantile(xs, 0.99);
    const ratios =
      xs === idleMs
        ? ''
        : `  ratio p50 ${(p50 / quantile(idleMs, 0.5)).toFixed(2)}, p99 ${(p99 / quantile(idleMs, 0.99)).toFixed(2)}`;
    console.log(
      `${name.padEnd(9)} ${String(xs.length).padStart(4)} requests  p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms${ratios}`
    );
  };
  console.log(`study: ${rows} rows; one request every 50 ms`);
  line('idle', idleMs);
  line('staging', staging);
  if (checking.length > 0) {
    line('vetting', checking);
  }
} finally {
  await hb.stop();
}
