// Synthetic patients: JHE's patient shape, plainly fictional contact details, ages that fit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate, type JhePatient } from '../../schema/index.js';
import { SYNTHETIC_PATIENT_SYSTEM, syntheticPatients, type ISyntheticSpec } from './index.js';

const spec = (over: Partial<ISyntheticSpec> = {}): ISyntheticSpec => ({
  study: {
    id: 4,
    name: 'People',
    organization: { id: 20002, name: 'Example Clinic', type: 'other' }
  },
  codes: ['omh:heart-rate:2.0'],
  patients: 300,
  start: '2025-06-01',
  end: '2025-07-01',
  perPatientPerCode: 1,
  seed: 'people',
  ...over
});

describe('synthetic patients', () => {
  it('are as many as asked, valid JHE patients of the study’s organization', () => {
    const patients = syntheticPatients(spec());
    assert.equal(patients.length, 300);
    for (const p of patients) {
      validate<JhePatient>('jhe-patient.schema.json', p, 'synthetic patient');
      assert.deepEqual(p.organizations, [{ id: 20002, name: 'Example Clinic', type: 'other' }]);
      assert.deepEqual(p.identifiers, [
        { id: p.id, system: SYNTHETIC_PATIENT_SYSTEM, value: `synthetic-${p.id}` }
      ]);
    }
    assert.deepEqual(
      syntheticPatients(spec({ study: { id: 4, name: 'No org' } }))[0].organizations,
      []
    );
  });

  it('have distinct ids and JHE user ids, and fictional names and example.org addresses', () => {
    const patients = syntheticPatients(spec());
    assert.equal(new Set(patients.map(p => p.id)).size, 300);
    assert.equal(new Set(patients.map(p => p.jheUserId)).size, 300);
    assert.equal(new Set(patients.map(p => p.telecomEmail)).size, 300);
    for (const p of patients) {
      assert.match(p.telecomEmail ?? '', /^[a-z]+\.[a-z]+\.[0-9]+@example\.org$/);
      assert.match(`${p.nameGiven} ${p.nameFamily}`, /^[A-Z][a-z]+ [A-Z][a-z]+$/);
    }
    assert.ok(new Set(patients.map(p => p.nameFamily)).size > 10);
  });

  it('are 20 to 85 at the start of the period, of many ages', () => {
    const start = new Date('2025-06-01T00:00:00Z');
    const ages = syntheticPatients(spec()).map(p => {
      const born = new Date(`${p.birthDate}T00:00:00Z`);
      let age = start.getUTCFullYear() - born.getUTCFullYear();
      if (
        start < new Date(Date.UTC(start.getUTCFullYear(), born.getUTCMonth(), born.getUTCDate()))
      ) {
        age--;
      }
      return age;
    });
    assert.ok(
      ages.every(a => a >= 20 && a <= 85),
      `ages ${Math.min(...ages)}–${Math.max(...ages)}`
    );
    assert.ok(new Set(ages).size > 40);
  });

  it('are the same people whatever codes or counts are asked', () => {
    assert.deepEqual(
      syntheticPatients(
        spec({ codes: ['omh:body-weight:3.0', 'omh:step-count:3.0'], perPatientPerCode: 20 })
      ),
      syntheticPatients(spec())
    );
    assert.deepEqual(
      syntheticPatients(spec({ patients: 10 })),
      syntheticPatients(spec()).slice(0, 10)
    );
  });
});
