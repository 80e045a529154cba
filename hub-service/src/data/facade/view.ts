// What one JHE token may see through the facade, indexed and ordered the way JHE answers searches.
import type {
  JheDataSource,
  JheObservation,
  JheOrganization,
  JhePatient,
  JheQuestionnaireResponse,
  JheScopeCode,
  JheStudy,
  JheUser
} from '../../schema/index.js';

export interface IFacadeStudy {
  study: JheStudy;
  codes: JheScopeCode[];
  patientIds: number[];
}

export interface IFacadeData {
  user: JheUser;
  organizations: JheOrganization[];
  studies: IFacadeStudy[];
  patients: JhePatient[];
  observations: Iterable<JheObservation>;
  questionnaireResponses?: Iterable<JheQuestionnaireResponse>;
  /** The devices and apps the exchange knows (metadata, no data); none when unknown. */
  dataSources?: JheDataSource[];
}

/** A code filter as JHE reads `code=<system>|<code>`. */
export interface ICodeFilter {
  system: string;
  code: string;
}

export const patientIdOf = (o: JheObservation) =>
  Number(o.subject.reference.replace(/^Patient\//, ''));

/** The JHE patient id of an imported QuestionnaireResponse (its subject is the external id). */
export const patientIdExtension = 'https://jupyterhealth.org/fhir/StructureDefinition/patient-id';
export const questionnairePatientOf = (q: JheQuestionnaireResponse) =>
  q.extension?.find(e => e.url === patientIdExtension)?.valueInteger;

const byId = (a: string, b: string) =>
  /^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b);

/**
 * JHE's search order: meta.lastUpdated descending. Equal times came back in ascending id order in
 * every recorded walk (the recording says this is observed, not promised); we make it the rule.
 */
export function jheSearchOrder(a: JheObservation, b: JheObservation): number {
  const x = a.meta?.lastUpdated ?? '';
  const y = b.meta?.lastUpdated ?? '';
  return x < y ? 1 : x > y ? -1 : byId(a.id, b.id);
}

export class FacadeView {
  readonly studies = new Map<number, IFacadeStudy>();
  readonly patients = new Map<number, JhePatient>();
  /** Every visible Observation in JHE's search order. */
  private ordered: JheObservation[] = [];
  private byId = new Map<string, JheObservation>();
  private responses: JheQuestionnaireResponse[] = [];

  constructor(readonly data: IFacadeData) {
    data.studies.forEach(s => this.studies.set(s.study.id, s));
    data.patients.forEach(p => this.patients.set(p.id, p));
    for (const o of data.observations) {
      if (this.patients.has(patientIdOf(o))) {
        this.ordered.push(o);
        this.byId.set(o.id, o);
      }
    }
    this.ordered.sort(jheSearchOrder);
    for (const q of data.questionnaireResponses ?? []) {
      const patient = questionnairePatientOf(q);
      if (patient !== undefined && this.patients.has(patient)) {
        this.responses.push(q);
      }
    }
  }

  patientsOf(studyId: number): JhePatient[] {
    return (this.studies.get(studyId)?.patientIds ?? [])
      .map(id => this.patients.get(id))
      .filter((p): p is JhePatient => p !== undefined);
  }

  observation(id: string): JheObservation | undefined {
    return this.byId.get(id);
  }

  /** Observations of the given patients (all visible ones when undefined), in JHE's order. */
  observations(patientIds: number[] | undefined, code?: ICodeFilter): JheObservation[] {
    const ids = patientIds && new Set(patientIds);
    return this.ordered.filter(
      o =>
        (!ids || ids.has(patientIdOf(o))) &&
        (!code || o.code.coding.some(c => c.code === code.code && c.system === code.system))
    );
  }

  /** QuestionnaireResponses of the given patients (all visible ones when undefined). */
  questionnaireResponses(patientIds: number[] | undefined): JheQuestionnaireResponse[] {
    const ids = patientIds && new Set(patientIds);
    return this.responses.filter(q => !ids || ids.has(questionnairePatientOf(q)!));
  }
}
