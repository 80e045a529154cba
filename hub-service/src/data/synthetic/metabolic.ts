// Blood glucose (fasting level plus a rise after each meal, larger and slower with diabetes) and body
// weight (the patient's weight drifting slowly over the period, with day-to-day scatter).
import { readingAt, round, type ICodeModel } from './reading.js';
import { HOUR, hourOfDay, momentIn } from './timing.js';

const OMH = 'https://w3id.org/openmhealth';

/** Breakfast, lunch and dinner, hours after midnight. */
const MEALS = [7.5, 12.5, 18.75];

/** Hours since the last meal, looking back into the previous evening if need be. */
function sinceMeal(hour: number): { hours: number; meal: number } {
  for (let i = MEALS.length - 1; i >= 0; i--) {
    if (hour >= MEALS[i]) {
      return { hours: hour - MEALS[i], meal: i };
    }
  }
  return { hours: hour + 24 - MEALS[MEALS.length - 1], meal: MEALS.length - 1 };
}

const MEAL_NAMES = ['breakfast', 'lunch', 'dinner'];

function relationToMeal(hour: number): string {
  const last = sinceMeal(hour);
  if (last.hours >= 8) {
    return 'fasting';
  }
  if (last.hours <= 2) {
    return `after ${MEAL_NAMES[last.meal]}`;
  }
  const next = MEALS.findIndex(m => m > hour && m - hour <= 1);
  return next >= 0 ? `before ${MEAL_NAMES[next]}` : 'not fasting';
}

export const bloodGlucose: ICodeModel = {
  code: 'omh:blood-glucose:4.0',
  system: OMH,
  display: 'Blood glucose',
  reading(patient, rng, slot) {
    // Finger-stick times: before breakfast, after meals, before dinner, at bedtime.
    const at = momentIn(slot, rng, [6.5, 9, 11.5, 14, 18, 20.5, 22.5]);
    const hour = hourOfDay(at);
    const last = sinceMeal(hour);
    const peak = patient.diabetic ? 1.25 : 0.75; // hours after eating
    const spread = patient.diabetic ? 0.9 : 0.6;
    const rise = (patient.diabetic ? 90 : 35) * rng.uniform(0.6, 1.4); // meals differ
    const excursion = rise * Math.exp(-((last.hours - peak) ** 2) / (2 * spread * spread));
    const dawn = patient.diabetic && hour >= 4 && hour < 8 ? 10 : 0;
    const mgPerDl = Math.min(
      400,
      Math.max(55, patient.fastingGlucose + excursion + dawn + rng.normal(0, 5))
    );
    return readingAt(at, {
      blood_glucose: { value: round(mgPerDl), unit: 'mg/dL' },
      specimen_source: 'capillary blood',
      temporal_relationship_to_meal: relationToMeal(hour)
    });
  }
};

export const bodyWeight: ICodeModel = {
  code: 'omh:body-weight:3.0',
  system: OMH,
  display: 'Body weight',
  reading(patient, rng, slot) {
    const at = momentIn(slot, rng, [6.5, 7, 7.5, 8]); // on the scale after getting up
    const months = (at - slot.periodStart) / (30 * 24 * HOUR);
    const kg = Math.max(
      30,
      patient.weightKg + patient.weightTrendKgPerMonth * months + rng.normal(0, 0.35)
    );
    return readingAt(at, {
      body_weight: { value: round(kg, 1), unit: 'kg' }
    });
  }
};
