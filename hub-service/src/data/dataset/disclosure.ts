// What a staged study holds that must never leave verbatim: identifiers and (patient, time, value) records.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { JhePatient, JheQuestionnaireResponse } from '../../schema/index.js';
import type { IDisclosureIndex } from '../../vetting/index.js';
import { parseCsv } from '../../vetting/tables.js';
import { readLines } from './files.js';
import { layout } from './layout.js';

/** One CSV line's cells, with the same CSV reading the vetting checks use. */
export const csvCells = (line: string): string[] => parseCsv(line, 1).records[0] ?? [''];

const identifierColumn = /(^|_)(id|uuid|identifier(_\d+)?_value|email|phone|birth_?date|mrn)$/i;
const patientColumn = /^(subject_reference|patient(_id)?)$/i;
const timeColumn = /(date_?time|effective_time|timestamp|^time$|^date$)/i;

/** Every CSV under the folder: identifiers from id-like columns, records from patient/time/value columns. */
function fromCsv(file: string, name: string, index: IDisclosureIndex, ids: Set<string>): void {
  let header: string[] | undefined;
  let patient = -1;
  let time = -1;
  let values: number[] = [];
  let idColumns: number[] = [];
  for (const line of readLines(file)) {
    if (!line) {
      continue;
    }
    const cells = csvCells(line);
    if (!header) {
      header = cells;
      patient = header.findIndex(h => patientColumn.test(h));
      time = header.findIndex(h => timeColumn.test(h) && !h.endsWith('_local'));
      idColumns = header.flatMap((h, i) => (identifierColumn.test(h) || i === patient ? [i] : []));
      values = header.flatMap((h, i) =>
        i !== patient && i !== time && !idColumns.includes(i) && /(_value$|^value$)/i.test(h)
          ? [i]
          : []
      );
      // A plain table without *_value columns: every other numeric-looking column is a value.
      if (values.length === 0) {
        values = header.flatMap((_h, i) =>
          i !== patient && i !== time && !idColumns.includes(i) ? [i] : []
        );
      }
      continue;
    }
    for (const i of idColumns) {
      if (cells[i]) {
        ids.add(cells[i].replace(/^Patient\//, ''));
      }
    }
    if (patient >= 0 && time >= 0) {
      for (const v of values) {
        if (cells[v] !== undefined && cells[v] !== '' && !Number.isNaN(Number(cells[v]))) {
          index.records.push({
            patient: cells[patient].replace(/^Patient\//, ''),
            time: cells[time],
            value: cells[v],
            column: `${name}:${header[v]}`
          });
        }
      }
    }
  }
}

function walkCsv(dir: string, visit: (file: string) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      walkCsv(path, visit);
    } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.csv')) {
      visit(path);
    }
  }
}

/** Reads the index from a staged folder: the JHE layout, or any folder of CSV files. */
export function disclosureIndexOf(dir: string): IDisclosureIndex {
  const index: IDisclosureIndex = { identifiers: [], records: [] };
  const ids = new Set<string>();
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return index;
  }
  const patientsFile = join(dir, layout.patients);
  if (existsSync(patientsFile)) {
    const patients = JSON.parse(readFileSync(patientsFile, 'utf8')) as JhePatient[];
    index.patients = patients.length;
    for (const p of patients) {
      [
        String(p.id),
        String(p.jheUserId),
        ...(p.identifiers ?? []).map(i => i.value),
        p.telecomEmail,
        p.telecomPhone,
        p.birthDate
      ].forEach(v => v && ids.add(v));
    }
  }
  // QuestionnaireResponses name the patient by an external id (subject.reference) and have ids of their own.
  const responsesFile = join(dir, layout.questionnaireResponses);
  if (existsSync(responsesFile)) {
    for (const line of readLines(responsesFile)) {
      if (line) {
        const r = JSON.parse(line) as JheQuestionnaireResponse;
        [r.id, r.subject.reference.replace(/^Patient\//, '')].forEach(v => v && ids.add(v));
      }
    }
  }
  walkCsv(dir, file => fromCsv(file, relative(dir, file), index, ids));
  index.identifiers = [...ids].filter(v => v.length > 0);
  return index;
}
