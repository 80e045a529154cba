// A tiny study in JHE's shapes for the dataset and facade tests: two patients, heart rate and blood pressure.
import type { JheObservation, JhePatient, JheScopeCode, JheStudy } from '../../schema/index.js';

export const organization = { id: 20001, name: 'Example University', type: 'edu' };
export const study: JheStudy = {
  id: 30001,
  name: 'Heart study',
  description: 'Resting heart rate',
  organization
};
export const codes: JheScopeCode[] = [
  {
    id: 1,
    codingSystem: 'https://w3id.org/openmhealth',
    codingCode: 'omh:heart-rate:2.0',
    text: 'Heart rate'
  },
  {
    id: 2,
    codingSystem: 'https://w3id.org/openmhealth',
    codingCode: 'omh:blood-pressure:4.0',
    text: 'Blood pressure'
  }
];
export const patients: JhePatient[] = [40001, 40002].map((id, i) => ({
  id,
  jheUserId: 10001 + i,
  identifiers: [{ id: i + 1, system: 'https://ehr.example.org', value: `mrn-${id}` }],
  nameFamily: `Family${i}`,
  nameGiven: `Given${i}`,
  birthDate: `197${i}-02-0${i + 1}`,
  telecomPhone: null,
  telecomEmail: `patient${i}@example.org`,
  organizations: [organization]
}));

const encode = (point: unknown) => Buffer.from(JSON.stringify(point)).toString('base64');

export function observation(
  id: number,
  patient: JhePatient,
  code: string,
  time: string,
  body: Record<string, unknown>
): JheObservation {
  const [namespace, name, version] = code.split(':');
  return {
    resourceType: 'Observation',
    id: String(id),
    meta: { lastUpdated: '2026-03-01T00:00:00+00:00', source: 'https://jupyterhealth.org/jhe' },
    identifier: [{ system: 'https://commonhealth.org', value: `record-${id}` }],
    status: 'final',
    code: { coding: [{ system: 'https://w3id.org/openmhealth', code }] },
    effectiveDateTime: time,
    subject: {
      reference: `Patient/${patient.id}`,
      identifier: {
        system: 'https://jupyterhealth.org/fhir/identifier/jhe-user-id',
        value: String(patient.jheUserId)
      }
    },
    valueAttachment: {
      contentType: 'application/json',
      data: encode({
        header: {
          uuid: `uuid-${id}`,
          schema_id: { namespace, name, version },
          creation_date_time: time,
          modality: 'sensed'
        },
        body: { ...body, effective_time_frame: { date_time: time } }
      })
    }
  };
}

/** 25 heart-rate readings per patient and 3 blood-pressure readings for the first. */
export function observations(): JheObservation[] {
  const out: JheObservation[] = [];
  let id = 50000;
  for (const p of patients) {
    for (let d = 0; d < 25; d++) {
      const time = `2026-02-${String(d + 1).padStart(2, '0')}T07:30:00-08:00`;
      out.push(
        observation(++id, p, 'omh:heart-rate:2.0', time, {
          heart_rate: { value: 60 + ((d * 7 + p.id) % 30), unit: 'beats/min' }
        })
      );
    }
  }
  for (let d = 0; d < 3; d++) {
    out.push(
      observation(++id, patients[0], 'omh:blood-pressure:4.0', `2026-02-0${d + 1}T09:00:00Z`, {
        systolic_blood_pressure: { value: 120 + d, unit: 'mmHg' },
        diastolic_blood_pressure: { value: 80 - d, unit: 'mmHg' }
      })
    );
  }
  return out;
}
