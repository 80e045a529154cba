// One night's sleep: bedtime, time to fall asleep, time asleep by stage, wakings; later and longer at
// weekends, shorter and more broken with age.
import type { IPatientBaseline } from './baseline.js';
import type { SeededRandom } from './random.js';
import { DAY, dayStart, HOUR, type ISlot } from './timing.js';

export interface INight {
  /** In bed (epoch ms). */
  bedtime: number;
  /** Up (epoch ms). */
  risen: number;
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

/**
 * The night of the slot's first evening, or, for a patient who usually goes to bed after midnight,
 * of the evening before (so their bedtime falls on the slot's first day). Slots are a day or more
 * apart, so nights never overlap; only the period's first and last night are held inside it.
 */
export function night(patient: IPatientBaseline, rng: SeededRandom, slot: ISlot): INight {
  const usual = patient.bedtimeHour + rng.normal(0, 0.4);
  const evening = dayStart(slot.start) - (patient.bedtimeHour >= 24 ? DAY : 0);
  const weekday = new Date(evening).getUTCDay();
  const weekend = weekday === 5 || weekday === 6; // Friday and Saturday nights
  const bedtime = Math.min(
    slot.periodEnd - HOUR,
    Math.max(slot.periodStart, evening + (usual + (weekend ? 0.6 : 0)) * HOUR)
  );
  const latencyMin = Math.round(rng.bounded(14, 8, 2, 60));
  const asleepMin = Math.round(
    60 * rng.bounded(patient.sleepHours + (weekend ? 0.4 : 0), 0.6, 3.5, 11)
  );
  const awakenings = Math.round(rng.bounded(1.5 + patient.age / 25, 1.2, 0, 12));
  const awakeMin = Math.round(awakenings * rng.uniform(3, 9) + rng.uniform(0, 10));
  const deepMin = Math.round(
    asleepMin * rng.bounded(0.21 - 0.0015 * (patient.age - 30), 0.03, 0.05, 0.3)
  );
  const remMin = Math.round(asleepMin * rng.bounded(0.22, 0.03, 0.12, 0.3));
  const inBedMin = latencyMin + asleepMin + awakeMin + Math.round(rng.uniform(0, 10));
  return {
    bedtime: Math.round(bedtime),
    risen: Math.round(bedtime + inBedMin * 60_000),
    latencyMin,
    asleepMin,
    awakeMin,
    deepMin,
    remMin,
    lightMin: asleepMin - deepMin - remMin,
    awakenings,
    efficiencyPercent: Math.round((1000 * asleepMin) / inBedMin) / 10
  };
}
