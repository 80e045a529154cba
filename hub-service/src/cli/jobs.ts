// hbroker jobs: the caller's jobs, newest first.
import type { Job } from '../schema/index.js';
import { ApiClient, type IClientOptions } from './client.js';

const age = (iso: string) => {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
};

export async function jobsCommand(options: IClientOptions & { json?: boolean }): Promise<number> {
  const { jobs } = await new ApiClient(options).json<{ jobs: Job[] }>('/jobs');
  if (options.json) {
    console.log(JSON.stringify(jobs));
    return 0;
  }
  if (jobs.length === 0) {
    console.log('no jobs yet: submit one with "hbroker submit <notebook> --study <id>"');
    return 0;
  }
  for (const j of jobs) {
    console.log(
      [
        j.id,
        j.state.padEnd(15),
        age(j.created_at).padStart(4),
        j.manifest.notebook,
        // What came of what was asked beats the bare state: "released" may mean nothing came back.
        [j.outcome?.summary, j.reason].filter(Boolean).join('; ')
      ]
        .join('  ')
        .trimEnd()
    );
  }
  return 0;
}
