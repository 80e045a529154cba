// Deterministic integer ids for a synthetic study: patient ids, JHE user ids and observation ids never meet.
import { hash32 } from './random.js';

/** At most this many patients per study, so the patient and user id ranges stay apart. */
export const MAX_PATIENTS = 1_000_000;

export interface ISyntheticIds {
  patient(index: number): number;
  jheUser(index: number): number;
  observation(ordinal: number): number;
}

/**
 * One block of ids per seed (1 of 9,000), so two studies with different seeds rarely share an id:
 * patients from block × 10⁷, their JHE users 5 × 10⁶ above, observations from block × 10¹⁰
 * (up to 10¹⁰ of them, all below 2⁵³).
 */
export function syntheticIds(seed: string): ISyntheticIds {
  const block = 1000 + (hash32(`${seed}\u0000ids`) % 9000);
  const patientBase = block * 10_000_000;
  const observationBase = block * 10_000_000_000;
  return {
    patient: index => patientBase + index,
    jheUser: index => patientBase + MAX_PATIENTS * 5 + index,
    observation: ordinal => observationBase + ordinal
  };
}
