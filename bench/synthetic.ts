// Benchmark: synthetic data for 10,000 patients / 1,000,000 observations (target ≤ 10 s), generated
// only, then generated and written as FHIR NDJSON to a temporary file (removed after). Asserts nothing.
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  syntheticObservations,
  syntheticPatients,
  type ISyntheticSpec
} from '../hub-service/src/data/synthetic/index.js';

const patients = Number(process.env.BENCH_PATIENTS ?? 10_000);
const spec: ISyntheticSpec = {
  study: { id: 1, name: 'Benchmark', organization: { id: 1, name: 'Bench Lab', type: 'edu' } },
  // A mix of moments, daily totals and nights, the heaviest (sleep stages) included.
  codes: [
    'omh:heart-rate:2.0',
    'omh:blood-pressure:4.0',
    'omh:blood-glucose:4.0',
    'omh:step-count:3.0',
    'ieee:sleep-stage-summary:1.0'
  ],
  patients,
  start: '2025-01-01',
  end: '2025-04-01',
  perPatientPerCode: 20,
  seed: 'bench'
};
const expected = patients * spec.codes.length * spec.perPatientPerCode;
const seconds = (since: number) => (performance.now() - since) / 1000;
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en')} observations/s`;

let started = performance.now();
const people = syntheticPatients(spec).length;
const patientSeconds = seconds(started);

started = performance.now();
let cpu = process.cpuUsage();
let count = 0;
let bytes = 0;
for (const observation of syntheticObservations(spec)) {
  count++;
  bytes += observation.valueAttachment.data.length; // touch each one so nothing is optimised away
}
const generateSeconds = seconds(started);
const generateCpu = cpuSeconds(cpu);
const peakMb = process.resourceUsage().maxRSS / 1024; // streaming: far below 1,000,000 observations' worth

const dir = mkdtempSync(join(tmpdir(), 'hbroker-bench-synthetic-'));
let written = 0;
let writeSeconds: number;
let writeCpu: number;
try {
  const file = join(dir, 'Observation.ndjson');
  const fd = openSync(file, 'w');
  started = performance.now();
  cpu = process.cpuUsage();
  // Lines gathered in one buffer and written a few MB at a time (the records are ASCII).
  const buffer = Buffer.allocUnsafe(4 << 20);
  let filled = 0;
  for (const observation of syntheticObservations(spec)) {
    const line = JSON.stringify(observation) + '\n';
    if (filled + line.length > buffer.length) {
      writeSync(fd, buffer, 0, filled);
      filled = 0;
    }
    filled += buffer.write(line, filled, 'latin1');
  }
  writeSync(fd, buffer, 0, filled);
  closeSync(fd);
  writeSeconds = seconds(started);
  writeCpu = cpuSeconds(cpu);
  written = statSync(file).size;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `spec: ${patients} patients × ${spec.codes.length} codes × ${spec.perPatientPerCode} = ${expected} observations`
);
console.log(`patients: ${people} in ${patientSeconds.toFixed(3)} s`);
console.log(
  `generate: ${count} observations in ${generateSeconds.toFixed(2)} s (${rate(count, generateSeconds)}; CPU ${generateCpu.toFixed(2)} s; ${(bytes / 1e6).toFixed(0)} MB of base64 data points)`
);
console.log(
  `generate + NDJSON: ${(written / 1e6).toFixed(0)} MB in ${writeSeconds.toFixed(2)} s (${rate(count, writeSeconds)}; CPU ${writeCpu.toFixed(2)} s)`
);
console.log(`peak memory (RSS) after generating: ${peakMb.toFixed(0)} MB`);
console.log(
  count === 1_000_000
    ? `target ≤ 10 s for 1,000,000 (generation): ${generateSeconds <= 10 ? 'met' : 'NOT met'}`
    : `target ≤ 10 s is for 1,000,000 observations; this run made ${count} (BENCH_PATIENTS)`
);
