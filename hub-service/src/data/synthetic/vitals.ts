// Vital signs: heart rate, blood pressure and oxygen saturation, each around the patient's baseline
// with a day-night rhythm (lower asleep, a morning surge in blood pressure) and measurement noise.
import { readingAt, round, type ICodeModel } from './reading.js';
import { hourOfDay, momentIn, usuallyAsleep } from './timing.js';

const OMH = 'https://w3id.org/openmhealth';

export const heartRate: ICodeModel = {
  code: 'omh:heart-rate:2.0',
  system: OMH,
  display: 'Heart Rate',
  reading(patient, rng, slot) {
    const at = momentIn(slot, rng, [7, 9, 11, 13, 15, 17, 19, 21, 23, 3]);
    const hour = hourOfDay(at);
    const asleep = usuallyAsleep(patient, hour);
    const maximum = 220 - patient.age;
    let bpm = patient.restingHeartRate + (asleep ? -7 : 3 * Math.sin(((hour - 10) * Math.PI) / 12));
    let activity = 'at rest';
    if (!asleep && hour >= 6 && hour < 21 && rng.chance(0.12)) {
      activity = 'during exercise';
      bpm += rng.uniform(0.3, 0.75) * (maximum - patient.restingHeartRate);
    } else if (!asleep && rng.chance(0.25)) {
      activity = 'active';
      bpm += rng.uniform(5, 25);
    }
    bpm = Math.min(maximum, Math.max(38, bpm + rng.normal(0, 3)));
    const body: Record<string, unknown> = {
      heart_rate: { value: round(bpm), unit: 'beats/min' },
      temporal_relationship_to_physical_activity: activity
    };
    if (asleep) {
      body.temporal_relationship_to_sleep = 'during sleep';
    }
    return readingAt(at, body);
  }
};

export const bloodPressure: ICodeModel = {
  code: 'omh:blood-pressure:4.0',
  system: OMH,
  display: 'Blood pressure',
  reading(patient, rng, slot) {
    const at = momentIn(slot, rng, [7, 8, 20, 21]); // home readings: mornings and evenings
    const hour = hourOfDay(at);
    const asleep = usuallyAsleep(patient, hour);
    const rhythm = asleep ? -10 : hour >= 6 && hour < 10 ? 5 : 0; // nocturnal dip, morning surge
    const systolic = Math.min(210, Math.max(85, patient.systolic + rhythm + rng.normal(0, 7)));
    const diastolic = Math.min(
      systolic - 20,
      Math.min(125, Math.max(50, patient.diastolic + 0.5 * rhythm + rng.normal(0, 5)))
    );
    return readingAt(at, {
      systolic_blood_pressure: { value: round(systolic), unit: 'mmHg' },
      diastolic_blood_pressure: { value: round(diastolic), unit: 'mmHg' },
      body_posture: asleep ? 'lying down' : 'sitting',
      measurement_location: 'left upper arm',
      temporal_relationship_to_physical_activity: 'at rest'
    });
  }
};

export const oxygenSaturation: ICodeModel = {
  code: 'omh:oxygen-saturation:2.0',
  system: OMH,
  display: 'Oxygen saturation',
  reading(patient, rng, slot) {
    const at = momentIn(slot, rng, [8, 12, 16, 20, 2, 4]);
    const asleep = usuallyAsleep(patient, hourOfDay(at));
    const percent = Math.min(
      100,
      Math.max(88, patient.oxygenSaturation - (asleep ? 0.8 : 0) + rng.normal(0, 0.6))
    );
    return readingAt(at, {
      oxygen_saturation: { value: round(percent), unit: '%' },
      measurement_method: 'pulse oximetry',
      system: 'peripheral capillary'
    });
  }
};
