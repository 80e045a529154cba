// A synthetic data request that cannot be met fails with a sentence saying what to change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HBrokerError } from '../../errors.js';
import {
  supportedCodes,
  syntheticObservations,
  syntheticPatients,
  type ISyntheticSpec
} from './index.js';

const spec = (over: Partial<ISyntheticSpec> = {}): ISyntheticSpec => ({
  study: { id: 1, name: 'Checks' },
  codes: ['omh:heart-rate:2.0'],
  patients: 2,
  start: '2025-01-01',
  end: '2025-01-31',
  perPatientPerCode: 3,
  seed: 's',
  ...over
});

const fails = (s: ISyntheticSpec, code: string, ...phrases: RegExp[]) => {
  for (const call of [() => syntheticObservations(s), () => syntheticPatients(s)]) {
    assert.throws(call, (e: unknown) => {
      assert.ok(e instanceof HBrokerError);
      assert.equal(e.code, code);
      assert.equal(e.status, 400);
      for (const p of phrases) {
        assert.match(e.message, p);
      }
      return true;
    });
  }
};

describe('synthetic data spec', () => {
  it('supports at least the codes JHE and jupyterhealth-client name for vitals, glucose, activity, weight and sleep', () => {
    for (const code of [
      'omh:blood-pressure:4.0',
      'omh:heart-rate:2.0',
      'omh:blood-glucose:4.0',
      'omh:step-count:3.0',
      'omh:body-weight:3.0',
      'omh:oxygen-saturation:2.0',
      'omh:sleep-duration:2.0',
      'ieee:sleep-stage-summary:1.0'
    ]) {
      assert.ok(supportedCodes.includes(code), code);
    }
    assert.throws(() => (supportedCodes as string[]).push('x'));
  });

  it('refuses an unknown code, naming it and every supported one', () => {
    const supported = supportedCodes.map(c => new RegExp(c.replace(/[.]/g, '\\.')));
    fails(
      spec({ codes: ['omh:heart-rate:2.0', 'omh:body-weight:2.0'] }),
      'unsupported_code',
      /"omh:body-weight:2\.0"/,
      ...supported
    );
  });

  it('refuses a period that is not one, a bad patient count, a bad count per patient, a repeated code', () => {
    fails(
      spec({ start: '2025-02-01', end: '2025-01-01' }),
      'invalid_synthetic_spec',
      /end after the start/
    );
    fails(spec({ start: 'soon' }), 'invalid_synthetic_spec', /soon/);
    fails(spec({ patients: -1 }), 'invalid_synthetic_spec', /patient count -1/);
    fails(spec({ patients: 2.5 }), 'invalid_synthetic_spec', /whole number/);
    fails(spec({ patients: 2_000_000 }), 'invalid_synthetic_spec', /1000000/);
    fails(spec({ perPatientPerCode: 1.5 }), 'invalid_synthetic_spec', /whole number/);
    fails(
      spec({ codes: ['omh:heart-rate:2.0', 'omh:heart-rate:2.0'] }),
      'invalid_synthetic_spec',
      /listed twice/
    );
  });

  it('makes a night a day and up to three naps besides, never overlapping, and refuses more', () => {
    fails(
      spec({ codes: ['ieee:sleep-stage-summary:1.0'], perPatientPerCode: 121 }),
      'invalid_synthetic_spec',
      /ieee:sleep-stage-summary:1\.0 has at most 4 readings a day/,
      /30 whole days/
    );
    const noon = { start: '2025-01-01T12:00:00Z', end: '2025-01-31T12:00:00Z' }; // 29 whole days
    for (const [perPatient, period, nights] of [
      [30, {}, 30],
      [45, {}, 30],
      [75, {}, 30],
      [120, {}, 30],
      [75, noon, 29]
    ] as const) {
      const s = spec({
        codes: ['ieee:sleep-stage-summary:1.0'],
        perPatientPerCode: perPatient,
        patients: 40,
        ...period
      });
      const sleeps = [...syntheticObservations(s)];
      assert.equal(sleeps.length, 40 * perPatient);
      for (const patient of new Set(sleeps.map(o => o.subject.reference))) {
        const own = sleeps.filter(o => o.subject.reference === patient);
        const times = own.map(o => [
          Date.parse(o.effectivePeriod!.start!),
          Date.parse(o.effectivePeriod!.end!)
        ]);
        // In time order, and each ends before the next begins.
        for (let i = 1; i < times.length; i++) {
          assert.ok(
            times[i][0] >= times[i - 1][1],
            `${patient}, ${perPatient} a patient: sleep ${i} starts after sleep ${i - 1} ends`
          );
        }
        const main = own.filter(
          o =>
            JSON.parse(Buffer.from(o.valueAttachment.data, 'base64').toString()).body.is_main_sleep
        );
        assert.equal(main.length, nights, `${patient}: one night a day`);
        assert.ok(
          times[0][0] >= Date.parse(s.start),
          `${patient}: the first sleep is in the period`
        );
      }
    }
  });
});
