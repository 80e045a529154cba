// What a code's model makes: one Open mHealth body and when it was measured.
import type { IPatientBaseline } from './baseline.js';
import type { SeededRandom } from './random.js';
import { iso, type ISlot } from './timing.js';

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

/** A reading at one moment (epoch ms): `body` gains its effective_time_frame. */
export function readingAt(at: number, body: Record<string, unknown>): IReading {
  const when = iso(at);
  body.effective_time_frame = { date_time: when };
  return { body, effective: { at: when }, recorded: at };
}

/** A reading over an interval (epoch ms), recorded when it ends: `body` gains its effective_time_frame. */
export function readingBetween(
  start: number,
  end: number,
  body: Record<string, unknown>
): IReading {
  const from = iso(start);
  const to = iso(end);
  body.effective_time_frame = { time_interval: { start_date_time: from, end_date_time: to } };
  return { body, effective: { start: from, end: to }, recorded: end };
}

/** Rounds to a number of decimals (values as devices report them). */
export const round = (value: number, decimals = 0): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};
