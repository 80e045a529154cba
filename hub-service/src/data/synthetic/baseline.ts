// Each synthetic patient's physiology, drawn once from the seed: the values their readings vary around.
import { SeededRandom } from './random.js';

export interface IPatientBaseline {
  index: number;
  sex: 'female' | 'male';
  /** Age in whole years at the start of the study period. */
  age: number;
  heightM: number;
  weightKg: number;
  /** Weight change over the period, kg per 30 days. */
  weightTrendKgPerMonth: number;
  restingHeartRate: number;
  systolic: number;
  diastolic: number;
  /** Fasting plasma glucose, mg/dL; patients with diabetes sit higher and swing further after meals. */
  fastingGlucose: number;
  diabetic: boolean;
  dailySteps: number;
  oxygenSaturation: number;
  /** Hours asleep on an ordinary night. */
  sleepHours: number;
  /** Usual bedtime as hours after midnight of the evening's date (22.5 = 22:30, 24.5 = 00:30). */
  bedtimeHour: number;
}

/** The patient's baseline; the same for the same seed and index whatever codes or counts are asked. */
export function patientBaseline(seed: string, index: number): IPatientBaseline {
  const rng = new SeededRandom(seed, 'patient', index);
  const sex = rng.chance(0.5) ? 'female' : 'male';
  const age = Math.floor(rng.uniform(20, 86));
  const heightM =
    sex === 'female' ? rng.bounded(1.63, 0.07, 1.45, 1.85) : rng.bounded(1.77, 0.07, 1.58, 2.0);
  const bmi = rng.bounded(26.5 + 0.04 * (age - 45), 4.5, 17.5, 45);
  const diabetic = rng.chance(0.003 * age - 0.035); // about 10 % at 45, 22 % at 85
  // Blood pressure rises with age and weight; diastolic flattens after about 60.
  const systolic = rng.bounded(108 + 0.5 * (age - 20) + 0.6 * (bmi - 25), 11, 95, 170);
  const diastolic = Math.min(
    systolic - 30,
    rng.bounded(70 + 0.25 * Math.min(age - 20, 40) + 0.4 * (bmi - 25), 7, 58, 100)
  );
  return {
    index,
    sex,
    age,
    heightM,
    weightKg: bmi * heightM * heightM,
    weightTrendKgPerMonth: rng.bounded(0, 0.4, -1.2, 1.2),
    restingHeartRate: rng.bounded(sex === 'female' ? 70 : 66, 7, 48, 92),
    systolic,
    diastolic,
    fastingGlucose: diabetic ? rng.bounded(145, 25, 110, 220) : rng.bounded(90, 7, 72, 108),
    diabetic,
    dailySteps: Math.max(
      1500,
      Math.exp(rng.normal(Math.log(8500), 0.35)) *
        (1 - 0.006 * Math.max(age - 40, 0)) *
        (bmi > 30 ? 0.8 : 1)
    ),
    oxygenSaturation: rng.bounded(97.3 - 0.02 * Math.max(age - 50, 0), 0.8, 94, 99.5),
    sleepHours: rng.bounded(7.1 - 0.01 * Math.max(age - 50, 0), 0.6, 5, 9),
    bedtimeHour: rng.bounded(23, 0.7, 21.5, 25)
  };
}
