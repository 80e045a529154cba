// The vet stage: every artifact goes through every Checker; each finding says pass, review or fail.
import { createHash } from 'node:crypto';
import type { IReleaseForm } from '../release/index.js';
import type { Artifact, Finding } from '../schema/index.js';
import { ArtifactContent } from './content.js';
import type { ITable } from './tables.js';

/** What the staged data holds that must never leave verbatim; built from the job's staged data before it is wiped. */
export interface IDisclosureIndex {
  /** Patient ids, JHE user ids, observation/record ids and identifier values, emails, dates of birth. */
  identifiers: string[];
  /**
   * The staged observations as (patient, time, value) strings, as written in the staged files, in file
   * order; `column` names the staged file and column a value came from (`csv/heart_rate.csv:heart_rate`).
   */
  records: { patient: string; time: string; value: string; column?: string }[];
  /** How many patients the study has; counted from the records when absent. */
  patients?: number;
}

export const emptyDisclosureIndex: IDisclosureIndex = { identifiers: [], records: [] };

export interface ICandidate {
  path: string;
  kind: Artifact['kind'];
  size: number;
  sha256: string;
  /** For kind cell_output: where it sits in the executed notebook. */
  cellOutput?: Artifact['cell_output'];
  /** The bytes the checks read: the file, a cell output's JSON, or the notebook without its outputs, as release writes them. */
  read(): Promise<Buffer>;
  /** What release writes of it and what that changes (hidden characters, dropped metadata, re-encoding). */
  release?(): Promise<IReleaseForm>;
}

/** The artifact's content as the checks read it, parsed once per artifact and shared by every checker. */
export interface IArtifactContent {
  /** The artifact as text (HTML as rows of tab-separated cells), or undefined when it is binary. */
  text(): Promise<string | undefined>;
  /** Its tables: a CSV file, or every pandas HTML table (`<table class="dataframe">`). */
  tables(): Promise<ITable[]>;
}

/** What the checks know of the whole run: every released name, and what the researcher declared. */
export interface IRunNames {
  /** The paths of the notebook, the files and the log, in candidate order. */
  paths: string[];
  /** The manifest's outputs (files or folders), when known. */
  declared?: string[];
}

export interface IVetContext {
  index: IDisclosureIndex;
  content: IArtifactContent;
  run?: IRunNames;
}

export interface IChecker {
  readonly name: string;
  check(candidate: ICandidate, context: IVetContext): Promise<Finding[]>;
}

export interface IVetOptions {
  /** Defaults to an empty index: the identifier and record checks then have nothing to look for. */
  index?: IDisclosureIndex;
  /** Tables are parsed up to this many data rows (the row limit fails longer ones anyway). */
  maxTableRows?: number;
  /** The manifest's declared outputs; files found inside a declared folder are then named as such. */
  declared?: string[];
}

/** Runs every checker on every candidate; the artifacts start pending until the release policy decides. */
export async function vet(
  candidates: ICandidate[],
  checkers: IChecker[],
  options: IVetOptions = {}
): Promise<Artifact[]> {
  const index = options.index ?? emptyDisclosureIndex;
  const artifacts: Artifact[] = [];
  const run: IRunNames = {
    paths: candidates.filter(c => c.kind !== 'cell_output').map(c => c.path),
    ...(options.declared ? { declared: options.declared } : {})
  };
  for (const c of candidates) {
    const content = new ArtifactContent(c, options.maxTableRows ?? 5000);
    const findings: Finding[] = [];
    for (const checker of checkers) {
      findings.push(...(await checker.check(c, { index, content, run })));
    }
    const artifact: Artifact = {
      path: c.path,
      kind: c.kind,
      ...(await releasedSize(c)),
      status: 'pending',
      findings
    };
    if (c.cellOutput) {
      artifact.cell_output = c.cellOutput;
    }
    artifacts.push(artifact);
  }
  return artifacts;
}

/** A file's size and hash are those of what release writes (and the checks read), not of what the run wrote. */
async function releasedSize(c: ICandidate): Promise<{ size: number; sha256: string }> {
  if ((c.kind !== 'output' && c.kind !== 'log') || !c.release) {
    return { size: c.size, sha256: c.sha256 };
  }
  const { bytes, unchanged } = await c.release();
  if (unchanged) {
    return { size: c.size, sha256: c.sha256 };
  }
  return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Where a finding about this candidate points: its file, and its cell and output when it is one. */
export function locate(c: ICandidate, at: { row?: number; column?: string } = {}) {
  const location: NonNullable<Finding['location']> = { file: c.path };
  if (c.cellOutput) {
    location.cell = c.cellOutput.cell;
    location.output = c.cellOutput.output;
  }
  return { ...location, ...at };
}

export { AllowListChecker } from './allow-list.js';
export { IdentifierChecker } from './identifiers.js';
export { RecordChecker } from './records.js';
export { RowLevelChecker } from './row-level.js';
export { TableChecker } from './table-checker.js';
export { ModelChecker } from './models.js';
export { NameChecker } from './names.js';
export { ReleaseFormChecker } from './release-form.js';
export { runCandidates } from './notebook-artifacts.js';
export { servedArtifact, type Served } from './release.js';
export { defaultCheckers } from './checkers.js';
