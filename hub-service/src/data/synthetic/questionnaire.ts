// Synthetic QuestionnaireResponses shaped like JHE's imported-record store: weekly symptom scores.
import type { JhePatient, JheQuestionnaireResponse } from '../../schema/index.js';
import { SeededRandom } from './random.js';

/** The scope a study requests QuestionnaireResponses with (JHE's seed data uses this one). */
export const questionnaireScope = {
  id: 50011,
  codingSystem: 'http://hl7.org/fhir/resource-types',
  codingCode: 'QuestionnaireResponse',
  text: 'FHIR QuestionnaireResponse'
};

const items = ['cough-severity', 'dyspnea-severity', 'fatigue-severity'];
const week = 7 * 86_400_000;

/** `weeks` weekly responses per patient from `start` (ISO date); the same seed gives the same answers. */
export function syntheticQuestionnaireResponses(
  patients: JhePatient[],
  seed: string,
  start: string,
  weeks: number
): JheQuestionnaireResponse[] {
  const out: JheQuestionnaireResponse[] = [];
  for (const patient of patients) {
    const random = new SeededRandom(seed, 'questionnaire', patient.id);
    const external = random.uuid().replace(/-/g, '').slice(0, 12);
    for (let w = 0; w < weeks; w++) {
      out.push({
        resourceType: 'QuestionnaireResponse',
        id: random.uuid(),
        meta: { source: 'https://jupyterhealth.org/fhir/fhir-source/90001' },
        questionnaire: 'Questionnaire/weekly-symptom-severity-vas',
        status: 'completed',
        subject: { reference: `Patient/${external}` },
        authored: new Date(Date.parse(start) + w * week).toISOString().slice(0, 10),
        extension: [
          {
            url: 'https://jupyterhealth.org/fhir/StructureDefinition/patient-id',
            valueInteger: patient.id
          }
        ],
        item: items.map(linkId => ({ linkId, answer: [{ valueInteger: random.int(101) }] }))
      });
    }
  }
  return out;
}
