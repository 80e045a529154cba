// A resubmission is a new job linked to the one it replaces: the same owner's job, returned or rejected.
import { badRequest } from '../errors.js';
import type { JobManifest } from '../schema/index.js';
import type { IStore } from '../store/index.js';

export function checkResubmission(store: IStore, manifest: JobManifest, owner: string): void {
  const previous = manifest.resubmission_of;
  if (previous === undefined) {
    return;
  }
  const record = store.job(previous);
  if (!record || record.owner !== owner) {
    throw badRequest(
      'invalid_resubmission',
      `manifest.resubmission_of names job ${previous}, which is not one of your jobs. Name the job of yours that was returned, or leave the field out.`
    );
  }
  const state = store.status(previous)!.state;
  if (state !== 'rejected') {
    throw badRequest(
      'invalid_resubmission',
      `Job ${previous} is ${state}; only a job that output checking returned or rejected can be resubmitted. Submit a new job without resubmission_of.`
    );
  }
}
