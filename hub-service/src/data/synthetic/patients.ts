// Synthetic JHE patients: made-up names and example.org addresses, birth dates matching their physiology.
import type { JhePatient } from '../../schema/index.js';
import { patientBaseline } from './baseline.js';
import { syntheticIds } from './ids.js';
import { FAMILY_NAMES, GIVEN_NAMES } from './names.js';
import { SeededRandom } from './random.js';
import { checkSpec, type ISyntheticSpec } from './spec.js';
import { DAY } from './timing.js';

/** The identifier system of a synthetic patient's identifier (never a real registry). */
export const SYNTHETIC_PATIENT_SYSTEM = 'urn:hbroker:synthetic-patient';

export function syntheticPatients(spec: ISyntheticSpec): JhePatient[] {
  const { start } = checkSpec(spec);
  const ids = syntheticIds(spec.seed);
  const organizations = spec.study.organization ? [spec.study.organization] : [];
  const patients: JhePatient[] = [];
  for (let index = 0; index < spec.patients; index++) {
    const baseline = patientBaseline(spec.seed, index);
    const rng = new SeededRandom(spec.seed, 'person', index);
    const given = rng.pick(GIVEN_NAMES[baseline.sex]);
    const family = rng.pick(FAMILY_NAMES);
    const id = ids.patient(index);
    // `age` whole years at the period's start: born between age + 1 and age years before it.
    const born = new Date(start - rng.uniform(1, 364) * DAY);
    born.setUTCFullYear(born.getUTCFullYear() - baseline.age);
    patients.push({
      id,
      jheUserId: ids.jheUser(index),
      identifiers: [{ id, system: SYNTHETIC_PATIENT_SYSTEM, value: `synthetic-${id}` }],
      nameFamily: family,
      nameGiven: given,
      birthDate: born.toISOString().slice(0, 10),
      telecomPhone: null,
      telecomEmail: `${given}.${family}.${id}@example.org`.toLowerCase(),
      organizations: organizations.map(o => ({ ...o }))
    });
  }
  return patients;
}
