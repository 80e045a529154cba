// Writes one study as $HBROKER_DATA: FHIR NDJSON, the JHE shapes the facade serves, and a tidy CSV per code.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  JheObservation,
  JhePatient,
  JheQuestionnaireResponse,
  JheScopeCode,
  JheStudy,
  StagedStudy
} from '../../schema/index.js';
import { LineWriter, readLines } from './files.js';
import { DatasetHash } from './hash.js';
import { dataPointOf, tidyObservation, type TidyValue } from './tidy.js';

export const layout = {
  meta: 'study.json',
  /** The patients as JHE's REST API renders them (what the facade serves). */
  patients: 'jhe/patients.json',
  fhirPatients: 'fhir/Patient.ndjson',
  observations: 'fhir/Observation.ndjson',
  /** One FHIR QuestionnaireResponse per line, as JHE serves it (studies that request them). */
  questionnaireResponses: 'fhir/QuestionnaireResponse.ndjson',
  /** One tidy CSV per code: omh:heart-rate:2.0 → csv/omh_heart-rate_2.0.csv */
  csv: (code: string) => `csv/${code.replace(/[^A-Za-z0-9.-]+/g, '_')}.csv`
};

export const jheUserIdSystem = 'https://jupyterhealth.org/fhir/identifier/jhe-user-id';

export interface IWrittenStudy {
  files: number;
  bytes: number;
  /** Hash of the dataset version: every file's path and content. */
  sha256: string;
  patients: number;
  observations: number;
  questionnaireResponses: number;
  /** Records per resource type and code (an Observation's code, a response's questionnaire). */
  counts: Record<string, Record<string, number>>;
}

const tally = (counts: Record<string, Record<string, number>>, type: string, code: string) => {
  const of = (counts[type] ??= {});
  of[code] = (of[code] ?? 0) + 1;
};

export function fhirPatient(p: JhePatient): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id: String(p.id),
    identifier: [
      ...(p.identifiers ?? []).map(i => ({ system: i.system, value: i.value })),
      { system: jheUserIdSystem, value: String(p.jheUserId) }
    ],
    name: [{ family: p.nameFamily, given: p.nameGiven ? [p.nameGiven] : [] }],
    birthDate: p.birthDate,
    telecom: [
      ...(p.telecomEmail ? [{ system: 'email', value: p.telecomEmail }] : []),
      ...(p.telecomPhone ? [{ system: 'phone', value: p.telecomPhone }] : [])
    ]
  };
}

const csvCell = (v: TidyValue | undefined) => {
  if (v === null || v === undefined) {
    return '';
  }
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function hashFile(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(1 << 20);
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Writes the study into an empty folder. Observations must carry plaintext Open mHealth (decrypted
 * already); they are streamed, so a large study never needs to be in memory at once.
 */
export async function writeStagedStudy(
  into: string,
  meta: { study: JheStudy; codes: JheScopeCode[]; source: StagedStudy['source'] },
  patients: JhePatient[],
  observations: Iterable<JheObservation> | AsyncIterable<JheObservation>,
  questionnaireResponses: JheQuestionnaireResponse[] = []
): Promise<IWrittenStudy> {
  mkdirSync(into, { recursive: true, mode: 0o700 });
  for (const dir of ['jhe', 'fhir', 'csv']) {
    mkdirSync(join(into, dir), { mode: 0o700 });
  }
  const written: string[] = [];
  const put = (rel: string, text: string) => {
    writeFileSync(join(into, rel), text, { mode: 0o600, flag: 'wx' });
    written.push(rel);
  };
  put(layout.patients, JSON.stringify(patients));
  const fhirPatients = new LineWriter(join(into, layout.fhirPatients));
  patients.forEach(p => fhirPatients.line(JSON.stringify(fhirPatient(p))));
  fhirPatients.close();
  written.push(layout.fhirPatients);
  const counts: Record<string, Record<string, number>> = {};
  if (questionnaireResponses.length > 0) {
    const responses = new LineWriter(join(into, layout.questionnaireResponses));
    for (const r of questionnaireResponses) {
      responses.line(JSON.stringify(r));
      tally(counts, 'QuestionnaireResponse', r.questionnaire ?? 'QuestionnaireResponse');
    }
    responses.close();
    written.push(layout.questionnaireResponses);
  }

  // Pass 1: the NDJSON, and each code's columns in first-seen order (rows may differ in shape).
  const columns = new Map<string, Map<string, true>>();
  const ndjson = new LineWriter(join(into, layout.observations));
  let count = 0;
  for await (const observation of observations) {
    const point = dataPointOf(observation);
    const row = tidyObservation(observation, point);
    const code = String(row.code);
    let seen = columns.get(code);
    if (!seen) {
      seen = new Map();
      columns.set(code, seen);
    }
    for (const key of Object.keys(row)) {
      seen.set(key, true);
    }
    ndjson.line(JSON.stringify(observation));
    tally(counts, 'Observation', code);
    count += 1;
  }
  ndjson.close();
  written.push(layout.observations);

  // Pass 2: one CSV per code, reading the NDJSON back rather than holding every row.
  const csvs = new Map<string, { writer: LineWriter; keys: string[] }>();
  for (const [code, seen] of columns) {
    const keys = [...seen.keys()];
    const writer = new LineWriter(join(into, layout.csv(code)));
    writer.line(keys.map(csvCell).join(','));
    csvs.set(code, { writer, keys });
    written.push(layout.csv(code));
  }
  for (const line of readLines(join(into, layout.observations))) {
    if (line) {
      const row = tidyObservation(JSON.parse(line) as JheObservation);
      const { writer, keys } = csvs.get(String(row.code))!;
      writer.line(keys.map(k => csvCell(row[k])).join(','));
    }
  }
  csvs.forEach(c => c.writer.close());

  const staged: StagedStudy = {
    study: meta.study,
    codes: meta.codes,
    patients: patients.length,
    observations: count,
    ...(questionnaireResponses.length > 0
      ? { questionnaireResponses: questionnaireResponses.length }
      : {}),
    source: meta.source
  };
  put(layout.meta, JSON.stringify(staged, null, 2));

  const hash = new DatasetHash();
  let bytes = 0;
  for (const rel of written.sort()) {
    hash.add(rel, hashFile(join(into, rel)));
    bytes += statSync(join(into, rel)).size;
  }
  return {
    files: written.length,
    bytes,
    sha256: hash.digest(),
    patients: patients.length,
    observations: count,
    questionnaireResponses: questionnaireResponses.length,
    counts
  };
}
