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

  it('refuses more nights of sleep than the period has, and allows as many', () => {
    fails(
      spec({ codes: ['ieee:sleep-stage-summary:1.0'], perPatientPerCode: 31 }),
      'invalid_synthetic_spec',
      /ieee:sleep-stage-summary:1\.0 has at most 1 reading a day/,
      /30 whole days/
    );
    const nights = [
      ...syntheticObservations(
        spec({ codes: ['omh:sleep-duration:2.0'], perPatientPerCode: 30, patients: 40 })
      )
    ];
    assert.equal(nights.length, 40 * 30);
    // One a night: no two of a patient's nights overlap.
    for (const patient of new Set(nights.map(o => o.subject.reference))) {
      const own = nights
        .filter(o => o.subject.reference === patient)
        .map(o => [Date.parse(o.effectivePeriod!.start!), Date.parse(o.effectivePeriod!.end!)])
        .sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < own.length; i++) {
        assert.ok(
          own[i][0] >= own[i - 1][1],
          `${patient}: night ${i} starts after night ${i - 1} ends`
        );
      }
    }
  });
});
