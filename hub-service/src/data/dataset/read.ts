// Reads a study written by writeStagedStudy back into memory (for the JHE facade of one job).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  JheObservation,
  JhePatient,
  JheQuestionnaireResponse,
  StagedStudy
} from '../../schema/index.js';
import { readLines } from './files.js';
import { layout } from './layout.js';

export interface IStudyData {
  meta: StagedStudy;
  patients: JhePatient[];
  observations: JheObservation[];
  questionnaireResponses: JheQuestionnaireResponse[];
}

function readNdjson<T>(path: string): T[] {
  const out: T[] = [];
  if (existsSync(path)) {
    for (const line of readLines(path)) {
      if (line) {
        out.push(JSON.parse(line) as T);
      }
    }
  }
  return out;
}

export function readStagedStudy(dir: string): IStudyData {
  const meta = JSON.parse(readFileSync(join(dir, layout.meta), 'utf8')) as StagedStudy;
  const patients = JSON.parse(readFileSync(join(dir, layout.patients), 'utf8')) as JhePatient[];
  return {
    meta,
    patients,
    observations: readNdjson<JheObservation>(join(dir, layout.observations)),
    // Absent in folders staged before QuestionnaireResponses were.
    questionnaireResponses: readNdjson<JheQuestionnaireResponse>(
      join(dir, layout.questionnaireResponses)
    )
  };
}
