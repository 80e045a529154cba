// Sleep, one reading per night or nap: the total (omh:sleep-duration) or the stages
// (ieee:sleep-stage-summary).
import { sleepEpisode, SLEEPS_PER_DAY } from './night.js';
import { readingBetween, type ICodeModel } from './reading.js';

const minutes = (value: number) => ({ value, unit: 'min' });

export const sleepDuration: ICodeModel = {
  code: 'omh:sleep-duration:2.0',
  system: 'https://w3id.org/openmhealth',
  display: 'Sleep duration',
  maxPerDay: SLEEPS_PER_DAY,
  reading(patient, rng, slot) {
    const n = sleepEpisode(patient, rng, slot);
    return readingBetween(n.bedtime, n.risen, { sleep_duration: minutes(n.asleepMin) });
  }
};

export const sleepStageSummary: ICodeModel = {
  code: 'ieee:sleep-stage-summary:1.0',
  system: 'https://w3id.org/ieee1752',
  display: 'Sleep stage summary',
  maxPerDay: SLEEPS_PER_DAY,
  reading(patient, rng, slot) {
    const n = sleepEpisode(patient, rng, slot);
    return readingBetween(n.bedtime, n.risen, {
      sleep_stage_summary: {
        total_sleep_time: minutes(n.asleepMin),
        sleep_efficiency_percentage: { value: n.efficiencyPercent, unit: '%' },
        latency_to_sleep_onset: minutes(n.latencyMin),
        light_sleep_duration: minutes(n.lightMin),
        deep_sleep_duration: minutes(n.deepMin),
        rem_sleep_duration: minutes(n.remMin),
        awake_duration: minutes(n.awakeMin),
        number_of_awakenings: n.awakenings
      },
      is_main_sleep: n.main
    });
  }
};
