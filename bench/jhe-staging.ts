// Benchmark: staging a 45,000-observation study from the dev exchange (JHE's page rules: default 20, at
// most 1000) against jupyterhealth-client's list_observations_df(study_id=…, limit=None) reading the same
// study from the same server, in the same run. Plaintext records (decryption off). Target ratio ≥ 3.
// Prints; asserts nothing.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { JheDataSource } from '../hub-service/src/data/jhe/index.js';
import { generatePartnerKeysets, parseKeyset } from '../hub-service/src/data/tink/index.js';
import { startDevExchange } from '../hub-service/src/dev-exchange/index.js';
import { repoRoot } from '../test/support/service.js';

const perPatientPerCode = Number(process.env.BENCH_PER_PATIENT_PER_CODE ?? 1500);
const patients = 15; // × 2 codes (heart rate, blood pressure) × 1500 = 45,000 in study 30001
// The client takes minutes for 45,000 records (it tidies each one with pandas): one run each by default.
const runs = Number(process.env.BENCH_RUNS ?? 1);

const jhe = await startDevExchange({
  host: '127.0.0.1',
  port: 0,
  password: 'bench',
  partnerPublic: parseKeyset(generatePartnerKeysets().publicKeyset),
  patients,
  perPatientPerCode,
  seed: 'bench',
  plaintext: true
});
const token = jhe.oauth.issue(jhe.data.users.find(u => u.username === 'researcher')!).access_token;
const root = mkdtempSync(join(tmpdir(), 'hbroker-bench-jhe-'));

// The client's own time for the call, measured inside Python (its start-up is not counted).
const clientCode = `
import sys, time
from jupyterhealth_client import JupyterHealthClient
client = JupyterHealthClient(sys.argv[1], token=sys.argv[2])
started = time.perf_counter()
df = client.list_observations_df(study_id=30001, limit=None)
print(len(df), time.perf_counter() - started)
`;

async function hbroker(run: number): Promise<{ seconds: number; observations: number }> {
  const source = new JheDataSource({ url: jhe.url });
  const started = performance.now();
  const staged = await source.stage('30001', join(root, `run-${run}`), {
    user: 'researcher',
    jheToken: async () => token
  });
  return {
    seconds: (performance.now() - started) / 1000,
    observations: staged.records?.observations ?? 0
  };
}

async function client(): Promise<{ seconds: number; rows: number }> {
  const { stdout } = await promisify(execFile)(
    join(repoRoot, '.venv', 'bin', 'python'),
    ['-c', clientCode, jhe.url, token],
    { maxBuffer: 16 * 1024 * 1024 }
  );
  const [rows, seconds] = stdout.trim().split(/\s+/).map(Number);
  return { seconds, rows };
}

try {
  let best = { hbroker: Infinity, client: Infinity };
  let counts = { staged: 0, rows: 0 };
  for (let run = 0; run < runs; run++) {
    const h = await hbroker(run);
    console.log(
      `run ${run + 1}: HBroker staged ${h.observations} observations in ${h.seconds.toFixed(2)} s`
    );
    const c = await client();
    console.log(`run ${run + 1}: the client read ${c.rows} rows in ${c.seconds.toFixed(2)} s`);
    best = { hbroker: Math.min(best.hbroker, h.seconds), client: Math.min(best.client, c.seconds) };
    counts = { staged: h.observations, rows: c.rows };
  }
  console.log(
    `study 30001: ${counts.staged} observations staged, ${counts.rows} rows read by the client`
  );
  console.log(`HBroker staging (decryption off, best of ${runs}): ${best.hbroker.toFixed(2)} s`);
  console.log(
    `jupyterhealth-client list_observations_df(limit=None) (best of ${runs}): ${best.client.toFixed(2)} s`
  );
  const ratio = best.client / best.hbroker;
  console.log(`ratio: ${ratio.toFixed(2)}  (target ≥ 3: ${ratio >= 3 ? 'met' : 'NOT met'})`);
} finally {
  await jhe.close();
  rmSync(root, { recursive: true, force: true });
}
