// The vet stage: every artifact goes through every Checker; each finding says pass, review or fail.
import type { Artifact, Finding } from '../schema/index.js';

export interface ICandidate {
  path: string;
  kind: Artifact['kind'];
  size: number;
  sha256: string;
  /** Where the file is on the host, in quarantine. */
  file: string;
}

export interface IChecker {
  readonly name: string;
  check(candidate: ICandidate): Promise<Finding[]>;
}

/** Runs every checker on every candidate; the artifacts start pending until the release policy decides. */
export async function vet(candidates: ICandidate[], checkers: IChecker[]): Promise<Artifact[]> {
  const artifacts: Artifact[] = [];
  for (const c of candidates) {
    const findings: Finding[] = [];
    for (const checker of checkers) {
      findings.push(...(await checker.check(c)));
    }
    artifacts.push({
      path: c.path,
      kind: c.kind,
      size: c.size,
      sha256: c.sha256,
      status: 'pending',
      findings
    });
  }
  return artifacts;
}

export { AllowListChecker } from './allow-list.js';
