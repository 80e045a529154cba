// Benchmark: vetting throughput (MB/s) on a 200 MB CSV and on a large executed notebook, with every built-in
// checker and a disclosure index of realistic size, release's re-derivation included, against a baseline
// (read, decode, hash) measured in the same run; then HBroker's table rules against ACRO on the same tables.
// Prints numbers; asserts nothing.
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../hub-service/src/config/index.js';
import {
  TableChecker,
  defaultCheckers,
  runCandidates,
  vet,
  type IDisclosureIndex
} from '../hub-service/src/vetting/index.js';
import { acroTables, hbrokerFlags } from '../test/support/acro.js';

const csvMb = Number(process.env.BENCH_CSV_MB ?? 200);
const vetting = parseConfig({}, process.cwd()).vetting;
const checkers = defaultCheckers(vetting);
// The baseline for the row-level check's cost, measured in the same run: every checker but that one.
const withoutRowLevel = checkers
  .filter(c => c.name !== 'row-level-data')
  .map(c => (c.name === 'tables' ? new TableChecker(vetting.tables) : c));
const dir = mkdtempSync(join(tmpdir(), 'hbroker-bench-vetting-'));

// 5,000 patients with ids, emails and birth dates; 100,000 staged records.
const patients = Array.from({ length: 5000 }, (_, i) => `patient-${String(i).padStart(6, '0')}`);
const index: IDisclosureIndex = {
  identifiers: patients.flatMap((p, i) => [
    p,
    `${p}@example.org`,
    `19${40 + (i % 60)}-0${1 + (i % 9)}-1${i % 10}`
  ]),
  records: Array.from({ length: 100000 }, (_, i) => ({
    patient: patients[i % patients.length],
    time: `2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`,
    value: String(50 + (i % 90))
  }))
};

async function sha256(path: string): Promise<string> {
  const { createReadStream } = await import('node:fs');
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/** A CSV of made-up rows that carry no staged identifier: the checkers must read all of it. */
async function writeCsv(path: string, mb: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('site,week,steps,heart_rate\n');
  let bytes = 0;
  for (let i = 0; bytes < mb * 1024 * 1024; i++) {
    const line = `site-${i % 97},${i % 52},${(i * 7919) % 20000},${(60 + (i % 40)).toFixed(1)}\n`;
    bytes += line.length;
    if (!out.write(line)) {
      await new Promise<void>(r => out.once('drain', () => r()));
    }
  }
  await new Promise<void>(r => out.end(() => r()));
}

/** An executed notebook with many cells, each with a printed text and a pandas HTML table. */
function writeNotebook(path: string, cells: number): void {
  const table = (i: number) =>
    `<table border="1" class="dataframe"><thead><tr><th>site</th><th>count</th><th>mean</th></tr></thead><tbody>` +
    Array.from(
      { length: 40 },
      (_, r) =>
        `<tr><th>site-${r}</th><td>${12 + ((i + r) % 50)}</td><td>${(70 + r / 10).toFixed(1)}</td></tr>`
    ).join('') +
    '</tbody></table>';
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: Array.from({ length: cells }, (_, i) => ({
      cell_type: 'code',
      execution_count: i + 1,
      metadata: {},
      source: `summary_${i}`,
      outputs: [
        {
          output_type: 'stream',
          name: 'stdout',
          text: `rows in group ${i}: ${1000 + i}\n`.repeat(20)
        },
        {
          output_type: 'execute_result',
          execution_count: i + 1,
          metadata: {},
          data: { 'text/html': table(i), 'text/plain': `a table of 40 rows (${i})` }
        }
      ]
    }))
  };
  writeFileSync(path, JSON.stringify(nb));
}

async function throughput(label: string, files: { path: string }[], notebook: string) {
  const outputs = await Promise.all(
    files.map(async f => ({
      path: f.path,
      size: statSync(join(dir, f.path)).size,
      sha256: await sha256(join(dir, f.path))
    }))
  );
  const mb = outputs.reduce((s, f) => s + f.size, 0) / 1048576;
  let started = performance.now();
  await vet(runCandidates(outputs, notebook, dir), withoutRowLevel, { index });
  const withoutRowLevelSeconds = (performance.now() - started) / 1000;
  // Baseline, same run: reading the bytes, decoding them as UTF-8 and hashing them, the least any check does.
  started = performance.now();
  for (const f of outputs) {
    const bytes = readFileSync(join(dir, f.path));
    createHash('sha256').update(bytes).digest();
    bytes.toString('utf8');
  }
  const baseline = (performance.now() - started) / 1000;
  // Release alone: every artifact re-derived (parsed, cleaned, written again) as release serves it.
  started = performance.now();
  for (const c of runCandidates(outputs, notebook, dir)) {
    await c.release?.();
  }
  const release = (performance.now() - started) / 1000;
  started = performance.now();
  const artifacts = await vet(runCandidates(outputs, notebook, dir), checkers, { index });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${label}: every checker but row-level-data ${withoutRowLevelSeconds.toFixed(2)} s; with it ${seconds.toFixed(2)} s = ${(seconds / withoutRowLevelSeconds).toFixed(2)}× (its index built once per job, included)`
  );
  const verdicts = artifacts.flatMap(a => a.findings.map(f => f.verdict));
  console.log(
    `${label}: ${mb.toFixed(1)} MB, ${artifacts.length} artifacts, ${verdicts.length} findings in ${seconds.toFixed(2)} s = ${(mb / seconds).toFixed(1)} MB/s, re-derivation included` +
      ` (re-derivation alone ${(mb / release).toFixed(1)} MB/s; baseline read+decode+hash ${(mb / baseline).toFixed(1)} MB/s; vetting takes ${(seconds / baseline).toFixed(1)}× the baseline)`
  );
}

try {
  await writeCsv(join(dir, 'rows.csv'), csvMb);
  await throughput(`CSV`, [{ path: 'rows.csv' }], 'analysis.ipynb');
  rmSync(join(dir, 'rows.csv'));

  writeNotebook(join(dir, 'analysis.ipynb'), 8000);
  await throughput(
    'executed notebook (8,000 cells, 16,000 outputs)',
    [{ path: 'analysis.ipynb' }],
    'analysis.ipynb'
  );

  const count = Number(process.env.BENCH_ACRO_TABLES ?? 200);
  const { acro_seconds, tables } = acroTables(count);
  const started = performance.now();
  for (const t of tables) {
    hbrokerFlags(t);
  }
  const ours = (performance.now() - started) / 1000;
  console.log(
    `tables (${tables.length}, frequency and magnitude): ACRO ${acro_seconds.toFixed(3)} s (crosstab and checks), HBroker ${ours.toFixed(3)} s (checks on the same tables); ACRO / HBroker = ${(acro_seconds / ours).toFixed(1)}`
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
