// Reads every resource of a JHE FHIR search as one consistent snapshot, pages fetched concurrently.
import type { FhirBundle } from '../../schema/index.js';
import { rebuiltLink } from '../facade/index.js';
import { JheRequestError, type JheClient } from './client.js';

export interface ISnapshotOptions {
  /** Requested page size (JHE caps it at 1000). */
  pageSize: number;
  /** Pages fetched at once once the first page has told the total. */
  concurrency: number;
  /** Reads of the whole search before giving up on a study that keeps changing. */
  attempts: number;
  /** The wait before the second read; each further read doubles it. */
  backoffMs: number;
}

export const defaultSnapshotOptions: ISnapshotOptions = {
  pageSize: 1000,
  concurrency: 4,
  attempts: 4,
  backoffMs: 1000
};

interface IResource {
  id: string;
  meta?: { lastUpdated?: string };
}

/** The search kept changing while it was read, every time it was read. */
export class SearchChangedError extends Error {
  constructor(
    readonly attempts: number,
    readonly reason: string
  ) {
    super(`the search changed while it was read (${reason}), ${attempts} times`);
  }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Runs `work` for 0..n-1 with at most `limit` running at once; results in index order. */
async function pool<T>(n: number, limit: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(n);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      results[i] = await work(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
  return results;
}

/** The first resource's id and lastUpdated: any update or insert puts a record there (JHE's order). */
const topOf = (bundle: FhirBundle) => {
  const r = bundle.entry?.[0]?.resource as IResource | undefined;
  return r ? `${r.id}@${r.meta?.lastUpdated ?? ''}` : '';
};

/**
 * One read of the search. JHE pages by offset over lastUpdated descending, so a record updated
 * mid-read moves to page 1 and shifts the rest: pages then repeat records and miss others. The
 * read is checked against the first page's total (count, no duplicates, every page's total) and,
 * at the end, against the first page again (same total and the same newest record).
 */
async function readOnce<T extends IResource>(
  jhe: JheClient,
  path: string,
  params: Record<string, string | number>,
  options: ISnapshotOptions
): Promise<{ resources: T[] } | { changed: string }> {
  const first = await jhe.get<FhirBundle>(path, { ...params, _count: options.pageSize });
  const total = first.total ?? 0;
  const served = first.entry?.length ?? 0;
  const next = first.link?.find(l => l.relation === 'next')?.url;
  const pages = served >= total ? 1 : Math.ceil(total / Math.max(served, 1));
  if (pages > 1 && !next) {
    return { changed: `the first page held ${served} of ${total} records and no next link` };
  }
  const rest = await pool(pages - 1, options.concurrency, async i => {
    try {
      return await jhe.get<FhirBundle>(rebuiltLink(new URL(next!), '_page', i + 2));
    } catch (e) {
      if (e instanceof JheRequestError && e.status === 404) {
        return undefined; // "Invalid page.": the search shrank under us
      }
      throw e;
    }
  });
  const resources: T[] = [];
  const seen = new Set<string>();
  for (const [i, bundle] of [first, ...rest].entries()) {
    if (!bundle || bundle.total !== total) {
      return { changed: `page ${i + 1} counted ${bundle?.total ?? 'no'} records, not ${total}` };
    }
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource as unknown as T;
      if (seen.has(r.id)) {
        return { changed: `record ${r.id} came back on two pages` };
      }
      seen.add(r.id);
      resources.push(r);
    }
  }
  if (resources.length !== total) {
    return { changed: `read ${resources.length} distinct records of ${total}` };
  }
  if (pages > 1) {
    const again = await jhe.get<FhirBundle>(path, { ...params, _count: 1 });
    if (again.total !== total || topOf(again) !== topOf(first)) {
      return { changed: 'records were added or updated while it was read' };
    }
  }
  return { resources };
}

/** Every resource a search matches, as one consistent snapshot, or SearchChangedError. */
export async function readSnapshot<T extends IResource>(
  jhe: JheClient,
  resource: string,
  params: Record<string, string | number>,
  options: ISnapshotOptions = defaultSnapshotOptions
): Promise<T[]> {
  let reason = '';
  for (let attempt = 0; attempt < options.attempts; attempt++) {
    if (attempt > 0) {
      await sleep(options.backoffMs * 2 ** (attempt - 1));
    }
    const read = await readOnce<T>(jhe, `FHIR/R5/${resource}`, params, options);
    if ('resources' in read) {
      return read.resources;
    }
    reason = read.changed;
  }
  throw new SearchChangedError(options.attempts, reason);
}
