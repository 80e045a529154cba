// Sleep episodes: a night (bedtime, time to fall asleep, stages, wakings; later and longer at weekends,
// shorter and more broken with age) or, when more than one a day is asked, afternoon naps besides.
import type { IPatientBaseline } from './baseline.js';
import type { SeededRandom } from './random.js';
import { DAY, dayStart, HOUR, type ISlot } from './timing.js';

/** A night and up to three naps. */
export const SLEEPS_PER_DAY = 4;

export interface ISleepEpisode {
  /** In bed (epoch ms). */
  bedtime: number;
  /** Up (epoch ms). */
  risen: number;
  /** The night's sleep, or a nap. */
  main: boolean;
  /** The rest in whole minutes. */
  latencyMin: number;
  asleepMin: number;
  awakeMin: number;
  deepMin: number;
  remMin: number;
  lightMin: number;
  awakenings: number;
  /** Minutes asleep / minutes in bed, percent, one decimal. */
  efficiencyPercent: number;
}

const MINUTE = 60_000;

function episode(
  bedtime: number,
  main: boolean,
  parts: {
    latencyMin: number;
    asleepMin: number;
    awakeMin: number;
    deepShare: number;
    remShare: number;
  },
  awakenings: number,
  extraMin: number
): ISleepEpisode {
  const deepMin = Math.round(parts.asleepMin * parts.deepShare);
  const remMin = Math.round(parts.asleepMin * parts.remShare);
  const inBedMin = parts.latencyMin + parts.asleepMin + parts.awakeMin + extraMin;
  return {
    bedtime: Math.round(bedtime),
    risen: Math.round(bedtime) + inBedMin * MINUTE,
    main,
    latencyMin: parts.latencyMin,
    asleepMin: parts.asleepMin,
    awakeMin: parts.awakeMin,
    deepMin,
    remMin,
    lightMin: parts.asleepMin - deepMin - remMin,
    awakenings,
    efficiencyPercent: Math.round((1000 * parts.asleepMin) / inBedMin) / 10
  };
}

/**
 * The night of `evening` (midnight, epoch ms). Every draw is bounded so that a night ends at most
 * about 4.9 h after the patient's usual waking time and starts at most 1 h before their usual bedtime:
 * the nap window below fits between.
 */
function night(patient: IPatientBaseline, rng: SeededRandom, evening: number, slot: ISlot) {
  const weekday = new Date(evening).getUTCDay();
  const weekend = weekday === 5 || weekday === 6; // Friday and Saturday nights
  const hour = patient.bedtimeHour + rng.bounded(0, 0.4, -1, 1) + (weekend ? 0.6 : 0);
  // Only the period's first and last nights are held inside it.
  const bedtime = Math.min(
    slot.periodEnd - HOUR,
    Math.max(slot.periodStart, evening + hour * HOUR)
  );
  const sleep = patient.sleepHours + (weekend ? 0.4 : 0);
  const awakenings = Math.round(rng.bounded(1.5 + patient.age / 25, 1.2, 0, 8));
  return episode(
    bedtime,
    true,
    {
      latencyMin: Math.round(rng.bounded(14, 8, 2, 45)),
      asleepMin: Math.round(
        60 * rng.bounded(sleep, 0.6, patient.sleepHours - 1.5, patient.sleepHours + 1.5)
      ),
      awakeMin: Math.round(awakenings * rng.uniform(3, 9) + rng.uniform(0, 10)),
      deepShare: rng.bounded(0.21 - 0.0015 * (patient.age - 30), 0.03, 0.05, 0.3),
      remShare: rng.bounded(0.22, 0.03, 0.12, 0.3)
    },
    awakenings,
    Math.round(rng.uniform(0, 10))
  );
}

/** Nap `part` of `parts` on `day`, between 5.5 h after usual waking and 2 h before usual bedtime. */
function nap(
  patient: IPatientBaseline,
  rng: SeededRandom,
  day: number,
  part: number,
  parts: number,
  slot: ISlot
) {
  const usualWake = patient.bedtimeHour + patient.sleepHours + 0.5 - 24;
  const from = usualWake + 5.5;
  const length = (patient.bedtimeHour - 2 - from) / parts; // hours; at least 7 / 3
  const bedtime = Math.max(
    slot.periodStart,
    day + (from + length * (part + rng.uniform(0, 0.4))) * HOUR
  );
  const latencyMin = Math.round(rng.uniform(1, 8));
  const awakeMin = Math.round(rng.uniform(0, 5));
  const asleepMin = Math.round(
    Math.min(rng.bounded(40, 20, 10, 120), 0.5 * 60 * length - latencyMin - awakeMin)
  );
  return episode(
    bedtime,
    false,
    {
      latencyMin,
      asleepMin,
      awakeMin,
      deepShare: rng.uniform(0.05, 0.25),
      remShare: rng.uniform(0, 0.1)
    },
    awakeMin > 0 ? 1 : 0,
    0
  );
}

/**
 * The sleep of reading `slot.index` of `slot.count`. Up to one a day: the night of the slot's first
 * evening (for a patient who usually goes to bed after midnight, the evening before, so the bedtime
 * falls on that day); slots are a day or more apart, so nights never overlap. More than one a day:
 * each day's readings are its night and naps in the afternoon, in time order.
 */
export function sleepEpisode(
  patient: IPatientBaseline,
  rng: SeededRandom,
  slot: ISlot
): ISleepEpisode {
  const lateSleeper = patient.bedtimeHour >= 24;
  if (slot.count <= Math.floor((slot.periodEnd - slot.periodStart) / DAY)) {
    return night(patient, rng, dayStart(slot.start) - (lateSleeper ? DAY : 0), slot);
  }
  // Whole calendar days from the first midnight, so no nap falls before the period.
  const firstDay = Math.ceil(slot.periodStart / DAY) * DAY;
  const days = Math.max(1, Math.floor((slot.periodEnd - firstDay) / DAY));
  // Readings index·days/count that floor to the same day belong to it: a block of readings.
  const dayIndex = Math.floor((slot.index * days) / slot.count);
  const first = Math.ceil((dayIndex * slot.count) / days);
  const next = Math.ceil(((dayIndex + 1) * slot.count) / days);
  const day = firstDay + dayIndex * DAY;
  const position = slot.index - first;
  const naps = next - first - 1;
  // A late sleeper's night (bedtime after midnight) comes before the day's naps, anyone else's after.
  const nightPosition = lateSleeper ? 0 : naps;
  if (position === nightPosition) {
    return night(patient, rng, day - (lateSleeper ? DAY : 0), slot);
  }
  return nap(patient, rng, day, lateSleeper ? position - 1 : position, naps, slot);
}
