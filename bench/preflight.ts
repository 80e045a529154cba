// Benchmark: submit → released for the example (examples/heart-rate) with the preflight on and off,
// two services side by side in this run, rounds interleaved. Prints medians and their ratio; asserts nothing.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { file, submission } from '../test/support/notebook.js';
import { repoRoot, startTestService, type ITestService } from '../test/support/service.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const example = readFileSync(join(repoRoot, 'examples/heart-rate/analysis.ipynb'), 'utf8');
const on = await startTestService({
  log_level: 'warn',
  data: { studies_dir: 'studies', synthetic_dir: 'synthetic' }
});
// The synthetic twin: here the same demo rows (they are synthetic), so both runs do the same work.
cpSync(join(on.dir, 'studies'), join(on.dir, 'synthetic'), { recursive: true });
const off = await startTestService({ log_level: 'warn', preflight: false });

async function submitToReleased(hb: ITestService): Promise<number> {
  const body = await submission([file('analysis.ipynb', example)], {
    outputs: ['summary.csv', 'heart_rate.png']
  });
  const started = performance.now();
  const { status, body: job } = await hb.submit(body);
  if (status !== 201) {
    throw new Error(JSON.stringify(job));
  }
  const events = await hb.events(job.id); // the stream ends when the job does
  const last = events.filter(e => e.type === 'state').pop();
  if (last?.state !== 'released') {
    throw new Error(`job ended ${last?.state}: ${last?.reason}`);
  }
  if (hb === on && !events.some(e => e.type === 'preflight' && /passed/.test(e.reason ?? ''))) {
    throw new Error('the preflight did not run');
  }
  return (performance.now() - started) / 1000;
}

try {
  // Warm-up: builds the example's image once for both.
  await submitToReleased(off);
  await submitToReleased(on);
  const withPreflight: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < rounds; i++) {
    without.push(await submitToReleased(off));
    withPreflight.push(await submitToReleased(on));
  }
  const a = median(withPreflight);
  const b = median(without);
  console.log(`rounds: ${rounds}, examples/heart-rate/analysis.ipynb`);
  console.log(`median submit → released, preflight on:  ${a.toFixed(3)} s`);
  console.log(`median submit → released, preflight off: ${b.toFixed(3)} s`);
  console.log(`ratio on/off: ${(a / b).toFixed(3)}  (the preflight costs ${(a - b).toFixed(3)} s)`);
} finally {
  await on.stop();
  await off.stop();
}
