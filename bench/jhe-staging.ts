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
import { signIn, startDevExchange } from '../hub-service/src/dev-exchange/index.js';
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
const token = (await signIn(jhe, 'researcher', 'bench')).access_token;
const root = mkdtempSync(join(tmpdir(), 'hbroker-bench-jhe-'));

// The client's own time for the call, measured inside Python (its start-up is not counted).
const clientCode = `
import sys, time
from jupyterhealth_client import JupyterHealthClient
client = JupyterHealthClient()  # $JHE_URL and $JHE_TOKEN, as in a user's server
started, cpu = time.perf_counter(), time.process_time()
df = client.list_observations_df(study_id=30001, limit=None)
print(len(df), time.perf_counter() - started, time.process_time() - cpu)
`;

/** CPU seconds this process used since `from` (the dev exchange answering included). */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

interface ITimes {
  seconds: number;
  /** CPU seconds: the reader's, plus the exchange's while it answered the reader. */
  cpu: number;
}

async function hbroker(run: number): Promise<ITimes & { observations: number }> {
  const source = new JheDataSource({ url: jhe.url });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const staged = await source.stage('30001', join(root, `run-${run}`), {
    user: 'researcher',
    jheToken: async () => token
  });
  return {
    seconds: (performance.now() - started) / 1000,
    cpu: cpuSince(cpu),
    observations: staged.records?.observations ?? 0
  };
}

async function client(): Promise<ITimes & { rows: number }> {
  const server = process.cpuUsage();
  const { stdout } = await promisify(execFile)(
    join(repoRoot, '.venv', 'bin', 'python'),
    ['-c', clientCode],
    // The token in the environment, not the command line, so a failure message never shows it.
    { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, JHE_URL: jhe.url, JHE_TOKEN: token } }
  );
  const [rows, seconds, cpu] = stdout.trim().split(/\s+/).map(Number);
  return { seconds, rows, cpu: cpu + cpuSince(server) };
}

try {
  let best = { hbroker: Infinity, client: Infinity };
  let cpu = { hbroker: Infinity, client: Infinity };
  let counts = { staged: 0, rows: 0 };
  for (let run = 0; run < runs; run++) {
    const h = await hbroker(run);
    console.log(
      `run ${run + 1}: HBroker staged ${h.observations} observations in ${h.seconds.toFixed(2)} s (${h.cpu.toFixed(2)} s CPU)`
    );
    const c = await client();
    console.log(
      `run ${run + 1}: the client read ${c.rows} rows in ${c.seconds.toFixed(2)} s (${c.cpu.toFixed(2)} s CPU)`
    );
    best = { hbroker: Math.min(best.hbroker, h.seconds), client: Math.min(best.client, c.seconds) };
    cpu = { hbroker: Math.min(cpu.hbroker, h.cpu), client: Math.min(cpu.client, c.cpu) };
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
  // On a shared machine wall time follows the load; CPU time says what each reader cost.
  console.log(
    `CPU: HBroker ${cpu.hbroker.toFixed(2)} s, client ${cpu.client.toFixed(2)} s (exchange included in both), ratio ${(cpu.client / cpu.hbroker).toFixed(2)}`
  );
} finally {
  await jhe.close();
  rmSync(root, { recursive: true, force: true });
}
