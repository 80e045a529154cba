// Synthetic Observations, streamed patient by patient and code by code: nothing is kept between them.
import type { JheObservation } from '../../schema/index.js';
import { patientBaseline } from './baseline.js';
import { syntheticIds } from './ids.js';
import { SeededRandom } from './random.js';
import { checkSpec, type ISyntheticSpec } from './spec.js';
import { slotOf } from './timing.js';
import { schemaIdOf, wrapReading } from './wrap.js';

const MINUTE = 60_000;

/**
 * Every observation of the spec, in order: patients by index, then codes as listed, then time.
 * Each (patient, code) pair has its own random stream, so adding a code or a patient leaves the
 * values of the others as they were; ids are numbered in that order.
 */
export function syntheticObservations(spec: ISyntheticSpec): Iterable<JheObservation> {
  const { models, start, end } = checkSpec(spec); // before iterating: a bad spec fails at the call
  return generate(spec, models, start, end);
}

function* generate(
  spec: ISyntheticSpec,
  models: ReturnType<typeof checkSpec>['models'],
  start: number,
  end: number
): Generator<JheObservation> {
  const ids = syntheticIds(spec.seed);
  const schemaIds = models.map(m => schemaIdOf(m.code));
  const n = spec.perPatientPerCode;
  let ordinal = 0;
  for (let p = 0; p < spec.patients; p++) {
    const patient = patientBaseline(spec.seed, p);
    const patientId = ids.patient(p);
    const jheUserId = ids.jheUser(p);
    for (let c = 0; c < models.length; c++) {
      const model = models[c];
      const rng = new SeededRandom(spec.seed, 'readings', p, model.code);
      for (let k = 0; k < n; k++) {
        const reading = model.reading(patient, rng, slotOf(start, end, k, n));
        const uploaded = reading.recorded + Math.floor(rng.uniform(1, 180) * MINUTE);
        yield wrapReading(
          model,
          schemaIds[c],
          reading,
          {
            observation: ids.observation(ordinal++),
            patient: patientId,
            jheUser: jheUserId,
            dataPoint: rng.uuid(),
            record: rng.uuid()
          },
          uploaded
        );
      }
    }
  }
}
