// hbroker submit: bundle a notebook's folder, send it, follow the job, fetch what was released.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packBundle, safeRelativePath } from '../bundle/index.js';
import type { Artifact, Job, JobManifest } from '../schema/index.js';
import { groupFindings } from '../jobs/findings.js';
import { isTerminal } from '../jobs/states.js';
import { bundleNotebookFolder } from './bundle.js';
import { ApiClient, type IClientOptions } from './client.js';

export interface ISubmitOptions extends IClientOptions {
  study: string;
  output?: string[];
  wait?: boolean;
  json?: boolean;
  justification?: string;
  cpus?: number;
  memory?: number;
  timeout?: number;
}

const say = (json: boolean | undefined, line: string) => {
  if (!json) {
    console.log(line);
  }
};

export async function submitCommand(
  notebookPath: string,
  options: ISubmitOptions
): Promise<number> {
  const client = new ApiClient(options);
  const local = bundleNotebookFolder(notebookPath);
  const resources: JobManifest['resources'] = {};
  if (options.cpus) {
    resources.cpus = options.cpus;
  }
  if (options.memory) {
    resources.memory_mb = options.memory;
  }
  if (options.timeout) {
    resources.timeout_seconds = options.timeout;
  }
  const manifest: JobManifest = {
    notebook: local.notebook,
    study: options.study,
    outputs: options.output ?? [],
    resources,
    environment: { files: local.environment }
  };
  if (options.justification) {
    manifest.justification = options.justification;
  }
  // Asking who we are first turns a bad token into its sentence: the service answers an
  // unauthenticated upload before reading it and closes the connection, which fetch reports as a broken pipe.
  await client.json('/me');
  const job = await client.submit(manifest, await packBundle(local.files));
  say(options.json, `submitted job ${job.id} (${local.files.length} files)`);
  if (!options.wait) {
    if (options.json) {
      console.log(JSON.stringify(job));
    }
    return 0;
  }
  for await (const event of client.events(job.id)) {
    if (event.type === 'build_log') {
      say(options.json, `  | ${event.line}`);
    } else if (event.type === 'preflight') {
      say(options.json, `  ${event.reason}`);
    } else if (event.type === 'progress') {
      say(
        options.json,
        event.cell ? `  cell ${event.cell} of ${event.cells}` : `  ${event.cells} code cells to run`
      );
    } else {
      say(options.json, `${event.state}${event.reason ? `: ${event.reason}` : ''}`);
      if (event.state === 'awaiting_review') {
        say(options.json, 'the outputs wait for an output checker; run "hbroker jobs" later');
        break;
      }
    }
    if (event.type === 'state' && event.state && isTerminal(event.state)) {
      break;
    }
  }
  const done = await client.json<Job>(`/jobs/${job.id}`);
  let saved: string[] = [];
  if (done.state === 'released') {
    saved = await downloadReleased(client, done, join(local.root, 'sensitive-results', done.id));
    for (const path of saved) {
      say(options.json, `released: ${path}`);
    }
  }
  if (done.outcome) {
    const requested = new Set(done.outcome.requested.flatMap(r => r.artifacts));
    for (const a of done.artifacts.filter(a => a.status === 'withheld' && !requested.has(a.path))) {
      const why = groupFindings(a.findings.filter(f => f.verdict !== 'pass')).map(g => g.reason);
      say(options.json, `withheld: ${a.path} (${why.join(' ')})`);
    }
    say(options.json, done.outcome.summary);
    for (const r of done.outcome.requested.filter(r => r.status !== 'released')) {
      say(options.json, `${r.status}: ${r.path}: ${r.why}`);
      for (const g of r.findings) {
        say(options.json, `  ${g.check} · ${g.verdict}: ${g.reason}`);
        for (const m of g.mitigations) {
          say(options.json, `    what to change: ${m.detail}`);
        }
      }
    }
  }
  if (options.json) {
    console.log(JSON.stringify({ ...done, downloaded: saved }));
  }
  return done.state === 'released' || done.state === 'awaiting_review' ? 0 : 1;
}

/** Saves each released artifact under `into`, refusing any path that would leave it. */
export async function downloadReleased(
  client: ApiClient,
  job: Job,
  into: string
): Promise<string[]> {
  const saved: string[] = [];
  // Released cell outputs arrive inside the released notebook; they are not files of their own.
  const files = job.artifacts.filter(
    (a: Artifact) => a.status === 'released' && a.kind !== 'cell_output'
  );
  for (const artifact of files) {
    const checked = safeRelativePath(artifact.path);
    if ('refused' in checked) {
      continue;
    }
    const target = join(into, checked.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(
      target,
      await client.bytes(
        `/jobs/${job.id}/outputs/${checked.path.split('/').map(encodeURIComponent).join('/')}`
      )
    );
    saved.push(target);
  }
  return saved;
}
