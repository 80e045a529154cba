// What synthetic data to make for a study, and the checks that turn a bad request into a clear error.
import { badRequest } from '../../errors.js';
import type { JheStudy } from '../../schema/index.js';
import { codeModel } from './codes.js';
import { MAX_PATIENTS } from './ids.js';
import type { ICodeModel } from './reading.js';
import { daysIn } from './timing.js';

export interface ISyntheticSpec {
  /** id, name, organization */
  study: JheStudy;
  /** e.g. ['omh:heart-rate:2.0', 'omh:blood-pressure:4.0'] */
  codes: string[];
  patients: number;
  /** ISO dates (or date-times) of the period; readings fall in [start, end). */
  start: string;
  end: string;
  /** Observations per patient per code over the period. */
  perPatientPerCode: number;
  /** Same seed and spec → byte-identical output. */
  seed: string;
}

export interface ICheckedSpec {
  models: ICodeModel[];
  start: number;
  end: number;
}

const MAX_OBSERVATIONS = 10_000_000_000; // the observation id range of one study
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(3000, 0, 1);

const invalid = (message: string) => badRequest('invalid_synthetic_spec', message);

export function checkSpec(spec: ISyntheticSpec): ICheckedSpec {
  const start = Date.parse(spec.start);
  const end = Date.parse(spec.end);
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
    throw invalid(
      `The synthetic data period ${spec.start} to ${spec.end} is not a period: give ISO dates with the end after the start.`
    );
  }
  if (start < EARLIEST || end > LATEST) {
    throw invalid(
      `The synthetic data period ${spec.start} to ${spec.end} must lie between 1900 and 2999.`
    );
  }
  if (!Number.isInteger(spec.patients) || spec.patients < 0 || spec.patients > MAX_PATIENTS) {
    throw invalid(
      `The patient count ${spec.patients} must be a whole number from 0 to ${MAX_PATIENTS}.`
    );
  }
  if (!Number.isInteger(spec.perPatientPerCode) || spec.perPatientPerCode < 0) {
    throw invalid(
      `The observations per patient per code (${spec.perPatientPerCode}) must be a whole number, 0 or more.`
    );
  }
  const seen = new Set<string>();
  const models = spec.codes.map(code => {
    if (seen.has(code)) {
      throw invalid(`The code ${code} is listed twice; list each code once.`);
    }
    seen.add(code);
    return codeModel(code);
  });
  const days = daysIn(start, end);
  for (const model of models) {
    if (model.maxPerDay !== undefined && spec.perPatientPerCode > days * model.maxPerDay) {
      throw invalid(
        `${model.code} has at most ${model.maxPerDay} readings a day, but ${spec.perPatientPerCode} per patient ` +
          `were asked for a period of ${days} whole days: lengthen the period or ask for fewer.`
      );
    }
  }
  if (spec.patients * models.length * spec.perPatientPerCode > MAX_OBSERVATIONS) {
    throw invalid(`At most ${MAX_OBSERVATIONS} synthetic observations can be made for one study.`);
  }
  return { models, start, end };
}
