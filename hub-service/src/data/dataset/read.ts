// Reads a study written by writeStagedStudy back into memory (for the JHE facade of one job).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JheObservation, JhePatient, StagedStudy } from '../../schema/index.js';
import { readLines } from './files.js';
import { layout } from './layout.js';

export interface IStudyData {
  meta: StagedStudy;
  patients: JhePatient[];
  observations: JheObservation[];
}

export function readStagedStudy(dir: string): IStudyData {
  const meta = JSON.parse(readFileSync(join(dir, layout.meta), 'utf8')) as StagedStudy;
  const patients = JSON.parse(readFileSync(join(dir, layout.patients), 'utf8')) as JhePatient[];
  const observations: JheObservation[] = [];
  for (const line of readLines(join(dir, layout.observations))) {
    if (line) {
      observations.push(JSON.parse(line) as JheObservation);
    }
  }
  return { meta, patients, observations };
}
