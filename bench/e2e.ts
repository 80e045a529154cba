// Benchmark: submit → released for a trivial notebook, against a bare `docker run` of the same notebook
// on the same image, both measured here, now. Prints medians and their ratio; asserts nothing.
import { spawn } from 'node:child_process';
import { packBundle } from '../hub-service/src/bundle/index.js';
import { file, notebook, submission } from '../test/support/notebook.js';
import { startTestService } from '../test/support/service.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const nb = notebook('print(6 * 7)');
const hb = await startTestService({ log_level: 'warn' });
const image = hb.config.executor.image;
const tarball = await packBundle([file('analysis.ipynb', nb)]);

async function viaHBroker(): Promise<number> {
  const body = await submission([file('analysis.ipynb', nb)]);
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
  return (performance.now() - started) / 1000;
}

async function bareDockerRun(): Promise<number> {
  const started = performance.now();
  const child = spawn(
    'docker',
    [
      'run',
      '--rm',
      '-i',
      '--network',
      'none',
      '--read-only',
      '--user',
      '1000:1000',
      '--tmpfs',
      '/work:size=256m,uid=1000,gid=1000,mode=0700',
      '--tmpfs',
      '/tmp:size=256m,uid=1000,gid=1000,mode=0700',
      '-e',
      'HBROKER_NOTEBOOK=analysis.ipynb',
      '-e',
      'HBROKER_OUTPUTS=[]',
      image
    ],
    { stdio: ['pipe', 'ignore', 'ignore'] }
  );
  child.stdin.end(tarball);
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
  if (code !== 0) {
    throw new Error(`bare docker run exited ${code}`);
  }
  return (performance.now() - started) / 1000;
}

try {
  await viaHBroker();
  await bareDockerRun();
  const hbTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // Interleaved so both see the same machine load.
    bareTimes.push(await bareDockerRun());
    hbTimes.push(await viaHBroker());
  }
  const e2e = median(hbTimes);
  const bare = median(bareTimes);
  const allowed = 1.15 * bare + 0.5;
  console.log(`rounds: ${rounds}, image ${image}`);
  console.log(`median submit → released (HBroker): ${e2e.toFixed(3)} s`);
  console.log(`median bare docker run:             ${bare.toFixed(3)} s`);
  console.log(`ratio: ${(e2e / bare).toFixed(3)}  (overhead ${(e2e - bare).toFixed(3)} s)`);
  console.log(
    `target ≤ 1.15 × bare + 0.5 s = ${allowed.toFixed(3)} s: ${e2e <= allowed ? 'met' : 'NOT met'}`
  );
} finally {
  await hb.stop();
}
