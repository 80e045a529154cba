// Synthetic values look like people: right units, plausible ranges, a baseline per patient that
// readings vary around, and the day-night and meal patterns a researcher would expect to find.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JheObservation } from '../../schema/index.js';
import { supportedCodes, syntheticObservations, type ISyntheticSpec } from './index.js';

const spec: ISyntheticSpec = {
  study: { id: 9, name: 'Physiology' },
  codes: [...supportedCodes],
  patients: 150,
  start: '2025-01-06',
  end: '2025-03-03', // eight weeks
  perPatientPerCode: 40,
  seed: 'physiology'
};

interface IPoint {
  patient: string;
  hour: number;
  weekday: number;
  body: Record<string, any>;
}

const byCode = new Map<string, IPoint[]>();
for (const o of syntheticObservations(spec) as Iterable<JheObservation>) {
  const at = new Date(o.effectiveDateTime ?? o.effectivePeriod!.start!);
  const point = JSON.parse(Buffer.from(o.valueAttachment.data, 'base64').toString('utf8'));
  const list = byCode.get(o.code.coding[0].code) ?? [];
  list.push({
    patient: o.subject.reference,
    hour: at.getUTCHours() + at.getUTCMinutes() / 60,
    weekday: at.getUTCDay(),
    body: point.body
  });
  byCode.set(o.code.coding[0].code, list);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
const points = (code: string) => byCode.get(code)!;

/** Every value in [low, high], with the unit, and a whole number or one decimal as devices give. */
function inRange(
  code: string,
  value: (b: IPoint['body']) => { value: number; unit: string },
  unit: string,
  low: number,
  high: number,
  decimals = 0
) {
  for (const p of points(code)) {
    const v = value(p.body);
    assert.equal(v.unit, unit, code);
    assert.ok(
      v.value >= low && v.value <= high,
      `${code}: ${v.value} ${unit} outside ${low}–${high}`
    );
    assert.equal(
      Math.round(v.value * 10 ** decimals),
      v.value * 10 ** decimals,
      `${code}: ${v.value} rounded`
    );
  }
}

/** Per patient: the spread of their own readings, and the spread of patients' means. */
function spreads(code: string, value: (b: IPoint['body']) => number, keep = (_: IPoint) => true) {
  const per = new Map<string, number[]>();
  for (const p of points(code).filter(keep)) {
    per.set(p.patient, [...(per.get(p.patient) ?? []), value(p.body)]);
  }
  const lists = [...per.values()].filter(l => l.length >= 5);
  return { within: mean(lists.map(sd)), between: sd(lists.map(mean)) };
}

describe('synthetic physiology', () => {
  it('heart rate: beats/min, 38–200; resting rate differs by patient; lower asleep, higher in exercise', () => {
    inRange('omh:heart-rate:2.0', b => b.heart_rate, 'beats/min', 38, 200);
    const rest = (p: IPoint) => p.body.temporal_relationship_to_physical_activity === 'at rest';
    const s = spreads(
      'omh:heart-rate:2.0',
      b => b.heart_rate.value,
      p => rest(p) && !p.body.temporal_relationship_to_sleep
    );
    assert.ok(s.between > 5, `resting rates differ between patients (sd ${s.between})`);
    const asleep = points('omh:heart-rate:2.0').filter(
      p => p.body.temporal_relationship_to_sleep === 'during sleep'
    );
    const awakeAtRest = points('omh:heart-rate:2.0').filter(
      p => rest(p) && !p.body.temporal_relationship_to_sleep
    );
    const exercise = points('omh:heart-rate:2.0').filter(
      p => p.body.temporal_relationship_to_physical_activity === 'during exercise'
    );
    assert.ok(asleep.length > 100 && exercise.length > 100);
    const hr = (ps: IPoint[]) => mean(ps.map(p => p.body.heart_rate.value));
    assert.ok(hr(asleep) < hr(awakeAtRest) - 4, `asleep ${hr(asleep)} < awake ${hr(awakeAtRest)}`);
    assert.ok(hr(exercise) > hr(awakeAtRest) + 25, `exercise ${hr(exercise)}`);
  });

  it('blood pressure: mmHg, systolic 85–210 above diastolic 50–125; per-patient level; morning surge', () => {
    inRange('omh:blood-pressure:4.0', b => b.systolic_blood_pressure, 'mmHg', 85, 210);
    inRange('omh:blood-pressure:4.0', b => b.diastolic_blood_pressure, 'mmHg', 50, 125);
    for (const p of points('omh:blood-pressure:4.0')) {
      assert.ok(p.body.systolic_blood_pressure.value - p.body.diastolic_blood_pressure.value >= 20);
    }
    const s = spreads('omh:blood-pressure:4.0', b => b.systolic_blood_pressure.value);
    assert.ok(s.between > 8 && s.within < 10, `between ${s.between}, within ${s.within}`);
    const sys = (ps: IPoint[]) => mean(ps.map(p => p.body.systolic_blood_pressure.value));
    const morning = points('omh:blood-pressure:4.0').filter(p => p.hour >= 6 && p.hour < 10);
    const evening = points('omh:blood-pressure:4.0').filter(p => p.hour >= 18 && p.hour < 23);
    assert.ok(
      sys(morning) > sys(evening) + 2,
      `morning ${sys(morning)} vs evening ${sys(evening)}`
    );
  });

  it('blood glucose: mg/dL, 55–400; higher after meals than fasting; a minority with diabetes', () => {
    inRange('omh:blood-glucose:4.0', b => b.blood_glucose, 'mg/dL', 55, 400);
    const g = (ps: IPoint[]) => mean(ps.map(p => p.body.blood_glucose.value));
    const relation = (r: RegExp) =>
      points('omh:blood-glucose:4.0').filter(p => r.test(p.body.temporal_relationship_to_meal));
    const fasting = relation(/^fasting$/);
    const after = relation(/^after /);
    assert.ok(fasting.length > 100 && after.length > 100);
    assert.ok(g(after) > g(fasting) + 15, `after meals ${g(after)} vs fasting ${g(fasting)}`);
    assert.ok(g(fasting) > 85 && g(fasting) < 125, `fasting mean ${g(fasting)}`);
    const perPatient = new Map<string, number[]>();
    for (const p of fasting) {
      perPatient.set(p.patient, [...(perPatient.get(p.patient) ?? []), p.body.blood_glucose.value]);
    }
    const high = [...perPatient.values()].filter(l => mean(l) >= 126).length / perPatient.size;
    assert.ok(high > 0.03 && high < 0.35, `share with diabetic fasting glucose ${high}`);
  });

  it('step count: whole days, 0–60,000 steps, a few thousand a day on average, fewer at weekends', () => {
    inRange('omh:step-count:3.0', b => b.step_count, 'steps', 0, 60000);
    const steps = (ps: IPoint[]) => mean(ps.map(p => p.body.step_count.value));
    const all = points('omh:step-count:3.0');
    assert.ok(steps(all) > 4000 && steps(all) < 12000, `mean ${steps(all)}`);
    const weekend = all.filter(p => p.weekday === 0 || p.weekday === 6);
    const weekday = all.filter(p => p.weekday > 0 && p.weekday < 6);
    assert.ok(
      steps(weekend) < steps(weekday),
      `weekend ${steps(weekend)} < weekday ${steps(weekday)}`
    );
    for (const p of all) {
      const t = p.body.effective_time_frame.time_interval;
      assert.equal(Date.parse(t.end_date_time) - Date.parse(t.start_date_time), 86_400_000);
    }
  });

  it('body weight: kg to one decimal, 30–250; steady within a patient, varied between patients', () => {
    inRange('omh:body-weight:3.0', b => b.body_weight, 'kg', 30, 250, 1);
    const s = spreads('omh:body-weight:3.0', b => b.body_weight.value);
    assert.ok(s.within < 1.5 && s.between > 8, `within ${s.within}, between ${s.between}`);
  });

  it('oxygen saturation: %, 88–100, mostly 94 or more', () => {
    inRange('omh:oxygen-saturation:2.0', b => b.oxygen_saturation, '%', 88, 100);
    const low = points('omh:oxygen-saturation:2.0').filter(
      p => p.body.oxygen_saturation.value < 94
    );
    assert.ok(low.length / points('omh:oxygen-saturation:2.0').length < 0.05);
  });

  it('sleep: 3.5–11 h a night, starting in the evening or around midnight; stages add up', () => {
    inRange('omh:sleep-duration:2.0', b => b.sleep_duration, 'min', 210, 660);
    for (const p of [
      ...points('omh:sleep-duration:2.0'),
      ...points('ieee:sleep-stage-summary:1.0')
    ]) {
      assert.ok(p.hour >= 20 || p.hour < 3, `bedtime ${p.hour}`);
    }
    inRange(
      'ieee:sleep-stage-summary:1.0',
      b => b.sleep_stage_summary.total_sleep_time,
      'min',
      210,
      660
    );
    for (const p of points('ieee:sleep-stage-summary:1.0')) {
      const s = p.body.sleep_stage_summary;
      assert.equal(
        s.light_sleep_duration.value + s.deep_sleep_duration.value + s.rem_sleep_duration.value,
        s.total_sleep_time.value
      );
      assert.ok(
        s.deep_sleep_duration.value > 0 &&
          s.rem_sleep_duration.value > 0 &&
          s.light_sleep_duration.value > 0
      );
      assert.ok(
        s.sleep_efficiency_percentage.value > 50 && s.sleep_efficiency_percentage.value <= 100
      );
      const t = p.body.effective_time_frame.time_interval;
      const inBed = (Date.parse(t.end_date_time) - Date.parse(t.start_date_time)) / 60_000;
      assert.ok(inBed >= s.total_sleep_time.value + s.latency_to_sleep_onset.value);
    }
  });
  it('naps, when more than a night a day is asked: 10–120 min, in the day, not the main sleep', () => {
    const dense = {
      ...spec,
      codes: ['ieee:sleep-stage-summary:1.0'],
      patients: 40,
      end: '2025-02-05',
      perPatientPerCode: 60
    };
    let naps = 0;
    for (const o of syntheticObservations(dense)) {
      const body = JSON.parse(Buffer.from(o.valueAttachment.data, 'base64').toString('utf8')).body;
      if (body.is_main_sleep) {
        continue;
      }
      naps++;
      const asleep = body.sleep_stage_summary.total_sleep_time.value;
      assert.ok(asleep >= 10 && asleep <= 120, `nap of ${asleep} min`);
      const hour = new Date(o.effectivePeriod!.start!).getUTCHours();
      assert.ok(hour >= 8 && hour < 23, `nap at ${hour} h`);
    }
    assert.equal(naps, 40 * 30); // 60 in 30 days: a night and a nap each day
  });
});
