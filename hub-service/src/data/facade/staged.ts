// The facade's view of one staged study: one study, its patients and observations, a run user.
import type { IStudyData } from '../dataset/read.js';
import { FacadeView } from './view.js';

export function stagedStudyView(data: IStudyData): FacadeView {
  const { meta } = data;
  return new FacadeView({
    user: {
      id: 0,
      email: 'run@hbroker.invalid',
      firstName: 'HBroker',
      lastName: 'run',
      patient: null,
      userType: 'practitioner',
      isSuperuser: false,
      settings: meta.study.organization ? { currentOrganizationId: meta.study.organization.id } : {}
    },
    organizations: meta.study.organization ? [meta.study.organization] : [],
    studies: [{ study: meta.study, codes: meta.codes, patientIds: data.patients.map(p => p.id) }],
    patients: data.patients,
    observations: data.observations,
    questionnaireResponses: data.questionnaireResponses
  });
}
