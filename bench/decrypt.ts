// Benchmark: CommonHealth records opened per second by the TypeScript Tink code vs Python tink,
// on the same records, in the same run. Target ratio ≥ 3. Prints; asserts nothing.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { openCommonHealthRecord, parseKeyset } from '../hub-service/src/data/tink/index.js';
import { repoRoot } from '../test/support/service.js';

const n = Number(process.env.BENCH_RECORDS ?? 2000);
const made = JSON.parse(
  execFileSync(
    join(repoRoot, '.venv/bin/python'),
    [join(repoRoot, 'bench/tink_python.py'), String(n)],
    { maxBuffer: 256 * 1024 * 1024 }
  ).toString()
);
const partner = parseKeyset(made.partner);
openCommonHealthRecord(partner, made.records[0]); // warm-up
const started = performance.now();
for (const record of made.records) {
  openCommonHealthRecord(partner, record);
}
const tsPerSecond = n / ((performance.now() - started) / 1000);
console.log(`records: ${n}`);
console.log(`TypeScript: ${tsPerSecond.toFixed(0)} records/s`);
console.log(`Python tink: ${made.python_per_second.toFixed(0)} records/s`);
console.log(
  `ratio: ${(tsPerSecond / made.python_per_second).toFixed(2)}  (target ≥ 3: ${tsPerSecond >= 3 * made.python_per_second ? 'met' : 'NOT met'})`
);
