// The validate and archive stages: check a submission completely, then store the job and its bundle.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { IArchive } from '../archive/index.js';
import { captureEnvironment } from '../build/index.js';
import { dataCaller, type IDataSource, type IJheTokens } from '../data/index.js';
import {
  checkManifestAgainstBundle,
  checkManifestNames,
  discardBundle,
  receiveBundle,
  receivedFiles
} from '../bundle/index.js';
import type { Config } from '../config/index.js';
import { badRequest } from '../errors.js';
import { partialPath } from '../partial-files.js';
import { checkResubmission } from '../review/index.js';
import { validate, type JobManifest, type JobSubmission, type Resources } from '../schema/index.js';
import { serviceVersion } from '../version.js';
import { checkRunsPerDay } from './daily-runs.js';
import type { JobJournal } from './journal.js';

/** Sortable by time, unguessable: yyyymmddhhmmss-<12 hex>. */
export function newJobId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}-${randomBytes(6).toString('hex')}`;
}

/** Fills unset resources from the admin's defaults and refuses any over the admin's maximum. */
export function resolveResources(
  asked: Resources | undefined,
  limits: Config['limits']
): Required<Resources> {
  const resolved = { ...limits.default, ...asked };
  const over = (Object.keys(limits.max) as (keyof Resources)[]).filter(
    k => resolved[k] > limits.max[k]
  );
  if (over.length > 0) {
    throw badRequest(
      'over_limits',
      `The requested ${over.map(k => `${k} (${resolved[k]})`).join(', ')} ${over.length > 1 ? 'are' : 'is'} over this service's limit (${over
        .map(k => `${k} ≤ ${limits.max[k]}`)
        .join(', ')}). Ask for less, or ask an admin.`
    );
  }
  return resolved;
}

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface ISubmitParts {
  config: Config;
  journal: JobJournal;
  archive: IArchive;
  data: IDataSource;
  jheTokens?: IJheTokens;
}

/** Where bundles are received while they are checked, one folder per submission; emptied at start. */
export const ingressDir = (config: Config) => join(config.state_dir, 'ingress');

/** The JSON form, `{manifest, bundle: <base64 tar>}`, kept for compatibility: the body is in memory. */
export async function submitJob(body: unknown, owner: string, deps: ISubmitParts): Promise<string> {
  const submission = validate<JobSubmission>('job-submission.schema.json', body, 'submission');
  const encoded = submission.bundle.replace(/\s/g, '');
  if (!base64.test(encoded)) {
    throw badRequest(
      'invalid_bundle',
      'The bundle is not base64. Send the tar of the notebook folder, base64-encoded.'
    );
  }
  const manifest = await checkManifest(submission.manifest, owner, deps);
  return submitBundle(manifest, Readable.from([Buffer.from(encoded, 'base64')]), owner, deps);
}

/**
 * Everything that can be checked before a byte of the bundle is read: the manifest's schema, its names,
 * a resubmission's original, and that the study has data for this caller.
 */
export async function checkManifest(
  raw: unknown,
  owner: string,
  deps: ISubmitParts
): Promise<JobManifest> {
  const manifest = validate<JobManifest>('job-manifest.schema.json', raw, 'manifest');
  checkRunsPerDay(deps.journal.store, owner, manifest.study, deps.config.limits.runs_per_day);
  checkManifestNames(manifest);
  checkResubmission(deps.journal.store, manifest, owner);
  if (!(await deps.data.has(manifest.study, dataCaller(owner, deps.jheTokens)))) {
    throw badRequest(
      'unknown_study',
      `Study "${manifest.study}" has no data on this service. Check the study id, or ask an admin to add it.`
    );
  }
  return manifest;
}

/**
 * Receives a checked manifest's bundle from a tar stream into a scratch folder, checks it against the
 * manifest and the limits, then stores the job and archives the files; nothing is stored if any check fails.
 */
export async function submitBundle(
  asked: JobManifest,
  tarball: Readable,
  owner: string,
  deps: ISubmitParts
): Promise<string> {
  const id = newJobId();
  // Named as partial (<id>.<pid>.tmp): a crash mid-upload leaves a folder doctor reports and a start sweeps.
  const bundle = await receiveBundle(
    tarball,
    partialPath(join(ingressDir(deps.config), id)),
    deps.config.limits
  );
  try {
    checkManifestAgainstBundle(asked, bundle, deps.config.limits);
    // A file the builder cannot honour is refused now, not discovered by a failed build.
    const environment = captureEnvironment(
      receivedFiles(bundle),
      asked.environment,
      deps.config.build
    );
    const manifest: JobManifest = {
      ...asked,
      outputs: asked.outputs ?? [],
      resources: resolveResources(asked.resources, deps.config.limits),
      ...(environment ? { environment } : {})
    };
    // Again with no await before the job is stored, so concurrent submissions cannot both slip under it.
    checkRunsPerDay(deps.journal.store, owner, manifest.study, deps.config.limits.runs_per_day);
    const created_at = new Date().toISOString();
    deps.journal.create(
      { id, owner, created_at, manifest },
      {
        notebook: manifest.notebook,
        study: manifest.study,
        ...(manifest.resubmission_of ? { resubmission_of: manifest.resubmission_of } : {}),
        files: bundle.files.length,
        bytes: bundle.size
      }
    );
    const { bundleSha256 } = deps.archive.putReceived(
      { job_id: id, owner, created_at, manifest, service_version: serviceVersion },
      bundle.files
    );
    deps.journal.store.setBundle(id, bundleSha256);
    deps.journal.transition(id, 'archived');
    return id;
  } finally {
    discardBundle(bundle);
  }
}
