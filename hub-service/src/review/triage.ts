// Which artifacts a checker must look at before approving them (images and logs: the service refuses
// the approval otherwise), and which may be approved together because every automatic check passed
// (never images, logs or review findings). Browser-safe: the lab extension's review uses it too.
// The generated types themselves, not schema/index.ts (which loads ajv).
import type { Artifact } from '../generated/schema.js';

const imageExtensions = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'tif', 'tiff']);

/** An image file or an image cell output: the automatic checks cannot read what it shows. */
export function isImage(artifact: Artifact): boolean {
  if (artifact.kind === 'cell_output') {
    return (artifact.cell_output?.mime ?? '').startsWith('image/');
  }
  const extension = artifact.path.split('.').pop()?.toLowerCase() ?? '';
  return artifact.kind === 'output' && imageExtensions.has(extension);
}

/** Images and the run's log: approving one is refused until its preview has been shown. */
export function needsPreview(artifact: Artifact): boolean {
  return artifact.kind === 'log' || isImage(artifact);
}

/** Checked, and every finding passed (an artifact with no finding at all was not shown to pass). */
export function passedEveryCheck(artifact: Artifact): boolean {
  return artifact.findings.length > 0 && artifact.findings.every(f => f.verdict === 'pass');
}

/** What "Approve all that passed every check" approves. */
export function approvableTogether(artifact: Artifact): boolean {
  return passedEveryCheck(artifact) && !needsPreview(artifact);
}
