// The builder's records: which spec hash on which base became which image, built or reused, when.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BuildRecord } from '../schema/index.js';

/** One JSON line per build decision, appended; kept beside the store under state_dir. */
export class BuildRecords {
  constructor(private file: string) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  }

  append(record: BuildRecord): void {
    appendFileSync(this.file, JSON.stringify(record) + '\n', { mode: 0o600 });
  }

  all(): BuildRecord[] {
    if (!existsSync(this.file)) {
      return [];
    }
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line) as BuildRecord);
  }

  forJob(jobId: string): BuildRecord[] {
    return this.all().filter(r => r.job_id === jobId);
  }
}

/** Where a service keeps its build records. */
export const buildRecordsFile = (stateDir: string) => join(stateDir, 'builds', 'records.jsonl');
