// What a code's model makes: one Open mHealth body and when it was measured.
import type { IPatientBaseline } from './baseline.js';
import type { SeededRandom } from './random.js';
import type { ISlot } from './timing.js';

/** A measurement at a moment (FHIR effectiveDateTime) or over an interval (effectivePeriod). */
export type Effective = { at: string } | { start: string; end: string };

export interface IReading {
  body: Record<string, unknown>;
  effective: Effective;
  /** When the device recorded it (epoch ms): the header's source_creation_date_time. */
  recorded: number;
}

export interface ICodeModel {
  /** e.g. omh:heart-rate:2.0 */
  code: string;
  /** The coding system JHE files the code under. */
  system: string;
  /** JHE's CodeableConcept text for it. */
  display: string;
  /** Readings a person can have per day at most (a night and a few naps), if there is such a limit. */
  maxPerDay?: number;
  reading(patient: IPatientBaseline, rng: SeededRandom, slot: ISlot): IReading;
}

export const timeFrameAt = (at: string) => ({ date_time: at });

export const timeFrameBetween = (start: string, end: string) => ({
  time_interval: { start_date_time: start, end_date_time: end }
});

/** Rounds to a number of decimals (values as devices report them). */
export const round = (value: number, decimals = 0): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};
