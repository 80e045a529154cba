// The dev exchange's demo content: one organization, demo studies of synthetic patients whose
// Observations are CommonHealth-encrypted to the demo partner key, and the JHE users who may read them.
import type {
  JheDataSource,
  JheObservation,
  JheOrganization,
  JhePatient,
  JheQuestionnaireResponse,
  JheScopeCode,
  JheStudy,
  JheUser
} from '../schema/index.js';
import type { IFacadeStudy } from '../data/facade/index.js';
import {
  questionnaireScope,
  supportedCodes,
  syntheticObservations,
  syntheticPatients,
  syntheticQuestionnaireResponses
} from '../data/synthetic/index.js';
import { sealCommonHealthRecord, type ITinkKeyset } from '../data/tink/index.js';

export interface IDevUser extends JheUser {
  /** The hub user name the demo logs in with (the email's local part). */
  username: string;
  /** Studies this user's organization owns; none for an outsider. */
  studyIds: number[];
}

export interface IDevExchangeData {
  organizations: JheOrganization[];
  studies: IFacadeStudy[];
  users: IDevUser[];
  patients: JhePatient[];
  observations: JheObservation[];
  questionnaireResponses: JheQuestionnaireResponse[];
  dataSources: JheDataSource[];
}

export interface ISeedOptions {
  patients: number;
  perPatientPerCode: number;
  seed: string;
  /** Serve Open mHealth as plaintext, as the real JHE stores it today (default: CommonHealth-encrypted). */
  plaintext?: boolean;
}

const omh = 'https://w3id.org/openmhealth';
const scope = (id: number, code: string, text: string): JheScopeCode => ({
  id,
  codingSystem: omh,
  codingCode: code,
  text
});

export const demoOrganization: JheOrganization = {
  id: 20001,
  name: 'HBroker Demo Research',
  type: 'edu',
  partOf: 0
};

export const demoStudies: { study: JheStudy; codes: JheScopeCode[] }[] = [
  {
    study: {
      id: 30001,
      name: 'Cardio demo',
      description: 'Heart rate and blood pressure from home devices',
      organization: demoOrganization,
      iconUrl: null,
      lastUpdated: '2026-01-05T00:00:00.000Z'
    },
    codes: [
      scope(50005, 'omh:heart-rate:2.0', 'Heart Rate'),
      scope(50002, 'omh:blood-pressure:4.0', 'Blood pressure'),
      questionnaireScope
    ]
  },
  {
    study: {
      id: 30002,
      name: 'Glucose demo',
      description: 'Blood glucose and daily steps',
      organization: demoOrganization,
      iconUrl: null,
      lastUpdated: '2026-01-05T00:00:00.000Z'
    },
    codes: [
      scope(50001, 'omh:blood-glucose:4.0', 'Blood glucose'),
      scope(50007, 'omh:step-count:3.0', 'Step count')
    ]
  }
];

/** The devices and apps the demo's records come from (JHE's /api/v1/data_sources). */
export const demoDataSources: JheDataSource[] = [
  {
    id: 70001,
    name: 'CareX',
    type: 'personal_device',
    supportedScopes: [demoStudies[0].codes[1], demoStudies[0].codes[0]]
  },
  {
    id: 70002,
    name: 'Dexcom',
    type: 'personal_device',
    supportedScopes: [demoStudies[1].codes[0]]
  },
  {
    id: 70003,
    name: 'Fitbit',
    type: 'personal_device',
    supportedScopes: [demoStudies[1].codes[1]]
  },
  { id: 70005, name: 'Questionnaire', type: 'patient_app', supportedScopes: [questionnaireScope] }
];

const members = ['researcher', 'researcher2', 'checker1', 'checker2', 'admin'];

/** Every Observation's Open mHealth payload is replaced by a CommonHealth envelope for the partner. */
export function seedDevExchange(
  partnerPublic: ITinkKeyset,
  options: ISeedOptions
): IDevExchangeData {
  const studies: IFacadeStudy[] = [];
  const patients: JhePatient[] = [];
  const observations: JheObservation[] = [];
  const questionnaireResponses: JheQuestionnaireResponse[] = [];
  for (const { study, codes } of demoStudies) {
    const spec = {
      study,
      codes: codes.map(c => c.codingCode).filter(c => supportedCodes.includes(c)),
      patients: options.patients,
      start: '2026-01-05',
      end: '2026-02-02',
      perPatientPerCode: options.perPatientPerCode,
      seed: `${options.seed}-${study.id}`
    };
    const cohort = syntheticPatients(spec).map(p => ({ ...p, organizations: [demoOrganization] }));
    patients.push(...cohort);
    studies.push({ study, codes, patientIds: cohort.map(p => p.id) });
    if (codes.includes(questionnaireScope)) {
      questionnaireResponses.push(
        ...syntheticQuestionnaireResponses(cohort, spec.seed, spec.start, 4)
      );
    }
    for (const o of syntheticObservations(spec)) {
      if (options.plaintext) {
        observations.push(o);
        continue;
      }
      const recordId = o.identifier?.[0]?.value ?? o.id;
      const envelope = sealCommonHealthRecord(
        partnerPublic,
        recordId,
        `study-${study.id}`,
        Buffer.from(o.valueAttachment.data, 'base64')
      );
      observations.push({
        ...o,
        valueAttachment: {
          contentType: 'application/json',
          data: Buffer.from(JSON.stringify(envelope)).toString('base64')
        }
      });
    }
  }
  const users: IDevUser[] = [...members, 'outsider'].map((username, i) => ({
    id: 10001 + i,
    email: `${username}@example.org`,
    firstName: username,
    lastName: 'Demo',
    userType: 'practitioner',
    patient: null,
    isSuperuser: false,
    settings: { currentOrganizationId: demoOrganization.id },
    username,
    studyIds: username === 'outsider' ? [] : demoStudies.map(s => s.study.id)
  }));
  return {
    organizations: [demoOrganization],
    studies,
    users,
    patients,
    observations,
    questionnaireResponses,
    dataSources: demoDataSources
  };
}
