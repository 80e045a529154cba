// Benchmark: cold and warm build times of a requirements.txt environment through HBroker's builder,
// each as a ratio to a plain `docker build` of an equivalent hand-written Dockerfile, same run.
// "Cold" busts the cache on both sides the same way: a unique first line in requirements.txt.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildRecords, DockerfileBuilder } from '../hub-service/src/build/index.js';
import { parseConfig } from '../hub-service/src/config/index.js';

const coldRounds = Number(process.env.BENCH_COLD_ROUNDS ?? 3);
const warmRounds = Number(process.env.BENCH_WARM_ROUNDS ?? 5);
const packages = 'toolz==1.0.0\ntabulate==0.9.0\n';
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const config = parseConfig({}, process.cwd());
const base = config.executor.image;
const docker = new Docker({ socketPath: config.executor.socket });
const work = mkdtempSync(join(tmpdir(), 'hbroker-bench-build-'));
const builder = new DockerfileBuilder(
  docker,
  base,
  { kind: 'dockerfile', python_versions: config.build.python_versions },
  new BuildRecords(join(work, 'records.jsonl'))
);
const images = new Set<string>();

async function viaHBroker(requirements: string): Promise<number> {
  const started = performance.now();
  const built = await builder.build({
    jobId: `bench-${randomBytes(4).toString('hex')}`,
    files: [{ path: 'requirements.txt', mode: 0o644, content: Buffer.from(requirements) }],
    onLog: () => undefined
  });
  images.add(built.imageId);
  return (performance.now() - started) / 1000;
}

/** The Dockerfile an admin would write by hand for the same environment. */
async function plainDockerBuild(requirements: string, tag: string): Promise<number> {
  const context = join(work, tag.replace(/[^a-z0-9]/g, '-'));
  rmSync(context, { recursive: true, force: true });
  mkdirSync(context);
  writeFileSync(join(context, 'requirements.txt'), requirements);
  writeFileSync(
    join(context, 'Dockerfile'),
    [
      `FROM ${base}`,
      'USER root',
      'COPY requirements.txt /tmp/requirements.txt',
      'RUN pip install --no-cache-dir --disable-pip-version-check --cert /etc/ssl/certs/ca-certificates.crt -r /tmp/requirements.txt',
      'USER 1000:1000',
      ''
    ].join('\n')
  );
  const started = performance.now();
  const child = spawn('docker', ['build', '-q', '-t', tag, context], {
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
    stdio: ['ignore', 'ignore', 'pipe']
  });
  // The classic builder's deprecation notice is noise here; the rest is shown if the build fails.
  let stderr = '';
  child.stderr.on('data', d => (stderr += d));
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
  if (code !== 0) {
    throw new Error(`docker build exited ${code}: ${stderr}`);
  }
  images.add(tag);
  return (performance.now() - started) / 1000;
}

try {
  const cold = { hb: [] as number[], plain: [] as number[] };
  const warm = { hb: [] as number[], plain: [] as number[] };
  let requirements = '';
  let tag = '';
  for (let i = 0; i < coldRounds; i++) {
    // Interleaved, alternating who goes first, so both see the same machine and the same PyPI.
    const nonce = randomBytes(6).toString('hex');
    requirements = `# bench ${nonce}\n${packages}`;
    tag = `hbroker-bench-plain:${nonce}`;
    if (i % 2 === 0) {
      cold.hb.push(await viaHBroker(requirements));
      cold.plain.push(await plainDockerBuild(requirements, tag));
    } else {
      cold.plain.push(await plainDockerBuild(requirements, tag));
      cold.hb.push(await viaHBroker(requirements));
    }
  }
  for (let i = 0; i < warmRounds; i++) {
    warm.plain.push(await plainDockerBuild(requirements, tag));
    warm.hb.push(await viaHBroker(requirements));
  }
  const line = (what: string, t: { hb: number[]; plain: number[] }) => {
    const hb = median(t.hb);
    const plain = median(t.plain);
    console.log(
      `${what}: HBroker builder ${hb.toFixed(3)} s, plain docker build ${plain.toFixed(3)} s, ratio ${(hb / plain).toFixed(3)}`
    );
  };
  console.log(`base ${base}; requirements: ${packages.trim().split('\n').join(', ')}`);
  console.log(`rounds: ${coldRounds} cold, ${warmRounds} warm (medians)`);
  line('cold build (cache busted at requirements.txt on both sides)', cold);
  line('warm build (unchanged environment)', warm);
} finally {
  for (const image of images) {
    await docker
      .getImage(image)
      .remove({ force: true })
      .catch(() => undefined);
  }
  rmSync(work, { recursive: true, force: true });
}
