// When synthetic readings happen: equal slices of the study period, times of day, sleep windows.
// Times of day are read in UTC, which the generator takes as every patient's local time.
import type { IPatientBaseline } from './baseline.js';
import type { SeededRandom } from './random.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** One reading's share of the period: the k-th of n equal slices, in epoch milliseconds. */
export interface ISlot {
  start: number;
  end: number;
  /** Where the whole period starts (for slow trends) and ends. */
  periodStart: number;
  periodEnd: number;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export const hourOfDay = (ms: number): number => (((ms % DAY) + DAY) % DAY) / HOUR;

export const dayStart = (ms: number): number => Math.floor(ms / DAY) * DAY;

export const isWeekend = (ms: number): boolean => {
  const weekday = new Date(ms).getUTCDay();
  return weekday === 0 || weekday === 6;
};

/** Whole days in the period (a night or a daily total needs one each). */
export const daysIn = (start: number, end: number): number => Math.floor((end - start) / DAY);

export function slotOf(start: number, end: number, k: number, n: number): ISlot {
  const length = (end - start) / n;
  return {
    start: start + length * k,
    end: start + length * (k + 1),
    periodStart: start,
    periodEnd: end
  };
}

/** The calendar day a slot of a day or more stands for: the one holding its middle. */
export const slotDay = (slot: ISlot): number => dayStart((slot.start + slot.end) / 2);

/**
 * A moment in the slot. Slots of a day or more pick a day in them, then an hour from `hours`
 * (when people take this kind of reading) plus up to an hour of jitter; shorter slots, as from
 * a continuous sensor, pick any moment in the slot.
 */
export function momentIn(slot: ISlot, rng: SeededRandom, hours?: readonly number[]): number {
  const length = slot.end - slot.start;
  if (!hours || length < DAY) {
    return Math.floor(slot.start + rng.next() * length);
  }
  const first = Math.ceil(slot.start / DAY) * DAY;
  const days = Math.max(1, Math.floor((slot.end - first) / DAY));
  const at = first + rng.int(days) * DAY + (rng.pick(hours) + rng.uniform(-0.5, 0.5)) * HOUR;
  return Math.floor(Math.min(slot.end - 1, Math.max(slot.start, at)));
}

/** Whether the patient is usually asleep at this hour of the day. */
export function usuallyAsleep(patient: IPatientBaseline, hour: number): boolean {
  const sinceBedtime = (((hour - patient.bedtimeHour) % 24) + 24) % 24;
  return sinceBedtime < patient.sleepHours + 0.5;
}
