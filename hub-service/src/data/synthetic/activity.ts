// Step counts: daily totals around the patient's usual steps (fewer at weekends), or, when readings
// are denser than one a day, totals over each slice with almost none while the patient sleeps.
import { readingBetween, round, type ICodeModel } from './reading.js';
import { DAY, hourOfDay, isWeekend, slotDay, usuallyAsleep } from './timing.js';

export const stepCount: ICodeModel = {
  code: 'omh:step-count:3.0',
  system: 'https://w3id.org/openmhealth',
  display: 'Step count',
  reading(patient, rng, slot) {
    let start: number;
    let end: number;
    let steps: number;
    if (slot.end - slot.start >= DAY) {
      start = slotDay(slot);
      end = start + DAY;
      steps = patient.dailySteps * (isWeekend(start) ? 0.85 : 1.05) * Math.exp(rng.normal(0, 0.3));
    } else {
      start = Math.round(slot.start);
      end = Math.round(slot.end);
      const asleep = usuallyAsleep(patient, hourOfDay((start + end) / 2));
      // Awake about two thirds of the day, so awake hours carry about 1.5 times the daily average.
      const share = ((end - start) / DAY) * (asleep ? 0.02 : 1.5);
      steps = patient.dailySteps * share * Math.exp(rng.normal(0, 0.5));
    }
    const body: Record<string, unknown> = {
      step_count: { value: round(Math.min(60000, steps)), unit: 'steps' },
      descriptive_statistic: 'sum'
    };
    if (end - start === DAY) {
      body.descriptive_statistic_denominator = 'd';
    }
    return readingBetween(start, end, body);
  }
};
