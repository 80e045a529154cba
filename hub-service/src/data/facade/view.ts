// What one JHE token may see through the facade, indexed for the queries jupyterhealth-client makes.
import type {
  JheObservation,
  JheOrganization,
  JhePatient,
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
}

const patientIdOf = (o: JheObservation) => Number(o.subject.reference.replace(/^Patient\//, ''));
const timeOf = (o: JheObservation) => o.effectiveDateTime ?? o.effectivePeriod?.start ?? '';

export class FacadeView {
  readonly studies = new Map<number, IFacadeStudy>();
  readonly patients = new Map<number, JhePatient>();
  private byPatient = new Map<number, JheObservation[]>();

  constructor(readonly data: IFacadeData) {
    data.studies.forEach(s => this.studies.set(s.study.id, s));
    data.patients.forEach(p => this.patients.set(p.id, p));
    for (const o of data.observations) {
      const id = patientIdOf(o);
      if (this.patients.has(id)) {
        let list = this.byPatient.get(id);
        if (!list) {
          list = [];
          this.byPatient.set(id, list);
        }
        list.push(o);
      }
    }
    // JHE orders a search by effective time; ties by id keep pages stable.
    for (const list of this.byPatient.values()) {
      list.sort((a, b) => timeOf(a).localeCompare(timeOf(b)) || a.id.localeCompare(b.id));
    }
  }

  patientsOf(studyId: number): JhePatient[] {
    return (this.studies.get(studyId)?.patientIds ?? [])
      .map(id => this.patients.get(id))
      .filter((p): p is JhePatient => p !== undefined);
  }

  /** Observations of the given patients (all visible ones when undefined), optionally of one code. */
  observations(patientIds: number[] | undefined, code?: { system?: string; code: string }) {
    const ids = patientIds ?? [...this.patients.keys()].sort((a, b) => a - b);
    const out: JheObservation[] = [];
    for (const id of ids) {
      for (const o of this.byPatient.get(id) ?? []) {
        if (
          !code ||
          o.code.coding.some(
            c => c.code === code.code && (code.system === undefined || c.system === code.system)
          )
        ) {
          out.push(o);
        }
      }
    }
    return out;
  }
}
