// The synthetic JHE a researcher's server sees at {prefix}jhe/: real study metadata, generated records.
import { createHash } from 'node:crypto';
import type {
  JheDataSource,
  JheObservation,
  JheOrganization,
  JhePatient,
  JheQuestionnaireResponse,
  JheScopeCode,
  JheScopeRequest,
  JheStudy,
  JheUser
} from '../schema/index.js';
import { writeStagedStudy } from './dataset/index.js';
import { FacadeView, type IFacadeStudy } from './facade/index.js';
import { JheClient, type IJheClientOptions, type JheRequestError } from './jhe/index.js';
import {
  questionnaireScope,
  supportedCodes,
  syntheticObservations,
  syntheticPatients,
  syntheticQuestionnaireResponses
} from './synthetic/index.js';

export interface ISyntheticOptions {
  max_patients: number;
  per_patient_per_code: number;
  days: number;
}

/** What may be known about a study without its data: metadata, data types, how many patients. */
export interface IStudyOutline {
  study: JheStudy;
  codes: JheScopeCode[];
  patients: number;
}

/** The period synthetic records fall in: whole days up to the first of this month, so it holds a month. */
function period(days: number, now = new Date()): { start: string; end: string } {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return {
    start: new Date(end - days * 86_400_000).toISOString().slice(0, 10),
    end: new Date(end).toISOString().slice(0, 10)
  };
}

interface IMadeStudy {
  facade: IFacadeStudy;
  patients: JhePatient[];
  observations: JheObservation[];
  questionnaireResponses: JheQuestionnaireResponse[];
}

/** Generated data for outlined studies, made once per study outline and kept. */
export class SyntheticStudies {
  private made = new Map<string, IMadeStudy>();

  constructor(private options: ISyntheticOptions) {}

  private make(outline: IStudyOutline) {
    // Records are made for the codes the generator knows; the study still lists every code it asks for.
    const codes = outline.codes.filter(c => supportedCodes.includes(c.codingCode));
    const key = createHash('sha256')
      .update(JSON.stringify([outline.study.id, codes.map(c => c.codingCode), outline.patients]))
      .digest('hex');
    let made = this.made.get(key);
    if (!made) {
      const spec = {
        study: outline.study,
        codes: codes.map(c => c.codingCode),
        patients: Math.max(1, Math.min(outline.patients, this.options.max_patients)),
        ...period(this.options.days),
        perPatientPerCode: this.options.per_patient_per_code,
        seed: `study-${outline.study.id}`
      };
      const patients = syntheticPatients(spec);
      const asksResponses = outline.codes.some(c => c.codingCode === questionnaireScope.codingCode);
      made = {
        facade: { study: outline.study, codes: outline.codes, patientIds: patients.map(p => p.id) },
        patients,
        observations: [...syntheticObservations(spec)],
        questionnaireResponses: asksResponses
          ? syntheticQuestionnaireResponses(
              patients,
              spec.seed,
              spec.start,
              Math.max(1, Math.floor(this.options.days / 7))
            )
          : []
      };
      this.made.set(key, made);
    }
    return made;
  }

  /** Writes an outlined study's synthetic data (the same records its facade serves) in the staged layout. */
  async stage(outline: IStudyOutline, into: string) {
    const made = this.make(outline);
    return writeStagedStudy(
      into,
      { study: outline.study, codes: made.facade.codes, source: 'synthetic' },
      made.patients,
      made.observations,
      made.questionnaireResponses
    );
  }

  view(
    user: JheUser,
    organizations: JheOrganization[],
    outlines: IStudyOutline[],
    dataSources: JheDataSource[] = []
  ): FacadeView {
    const made = outlines.map(o => this.make(o));
    return new FacadeView({
      user,
      organizations,
      dataSources,
      studies: made.map(m => m.facade),
      patients: made.flatMap(m => m.patients),
      observations: made.flatMap(m => m.observations),
      questionnaireResponses: made.flatMap(m => m.questionnaireResponses)
    });
  }
}

/**
 * Resolves a caller's JHE token: the exchange itself says who they are and which studies they may
 * see (so its consent rules hold); the records are synthetic. Answers are kept for cacheSeconds.
 */
export class SyntheticExchange {
  private cache = new Map<string, { view: FacadeView | undefined; until: number }>();

  constructor(
    private url: string,
    private client: IJheClientOptions,
    private studies: SyntheticStudies,
    private cacheSeconds: number
  ) {}

  /** `only`: the studies to show (HBroker's grants, when the token is HBroker's own); all if absent. */
  async resolve(token: string, only?: ReadonlySet<string>): Promise<FacadeView | undefined> {
    const key = createHash('sha256')
      .update(JSON.stringify([token, only && [...only].sort()]))
      .digest('hex');
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) {
      return hit.view;
    }
    const jhe = new JheClient(this.url, token, this.client);
    let view: FacadeView | undefined;
    try {
      const user = await jhe.get<JheUser>('api/v1/users/profile');
      const organizations: JheOrganization[] = [];
      for await (const o of jhe.list<JheOrganization>('api/v1/organizations', {
        page_size: 1000
      })) {
        organizations.push(o);
      }
      const outlines: IStudyOutline[] = [];
      for await (const study of jhe.list<JheStudy>('api/v1/studies', { page_size: 1000 })) {
        if (only && !only.has(String(study.id))) {
          continue;
        }
        const scopes = await jhe.get<JheScopeRequest[]>(
          `api/v1/studies/${study.id}/scope_requests`
        );
        const patients = await jhe.get<{ count: number }>('api/v1/patients', {
          study_id: study.id
        });
        const lastUpdated = scopes[0]?.study.lastUpdated;
        outlines.push({
          study: lastUpdated ? { ...study, lastUpdated } : study,
          codes: scopes.map(s => s.scopeCode),
          patients: patients.count
        });
      }
      // Devices and apps are the exchange's metadata, not study data: served as the exchange has them.
      const dataSources: JheDataSource[] = [];
      for await (const d of jhe.list<JheDataSource>('api/v1/data_sources', { page_size: 1000 })) {
        dataSources.push(d);
      }
      view = this.studies.view(user, organizations, outlines, dataSources);
    } catch (e) {
      if ((e as JheRequestError).status !== 401 && (e as JheRequestError).status !== 403) {
        throw e;
      }
    }
    this.cache.set(key, { view, until: Date.now() + this.cacheSeconds * 1000 });
    return view;
  }
}
