// The Open mHealth / IEEE 1752 codes the generator can make data for, with JHE's code systems and names.
import { HBrokerError } from '../../errors.js';
import { stepCount } from './activity.js';
import { bloodGlucose, bodyWeight } from './metabolic.js';
import type { ICodeModel } from './reading.js';
import { sleepDuration, sleepStageSummary } from './sleep.js';
import { bloodPressure, heartRate, oxygenSaturation } from './vitals.js';

const models: readonly ICodeModel[] = [
  bloodPressure,
  heartRate,
  bloodGlucose,
  stepCount,
  bodyWeight,
  oxygenSaturation,
  sleepDuration,
  sleepStageSummary
];

const byCode = new Map(models.map(m => [m.code, m]));

export const supportedCodes: readonly string[] = Object.freeze(models.map(m => m.code));

/** The model for a code, or an error naming it and what is supported instead. */
export function codeModel(code: string): ICodeModel {
  const model = byCode.get(code);
  if (!model) {
    throw new HBrokerError(
      'unsupported_code',
      `Synthetic data cannot be made for the code "${code}". Supported codes: ${supportedCodes.join(', ')}. ` +
        'Remove the code from the study or use one of these.'
    );
  }
  return model;
}
