// Stages a study from the JupyterHealth Exchange with the submitting user's token, decrypting as it goes.
import { HBrokerError } from '../../errors.js';
import type {
  JheObservation,
  JhePatient,
  JheQuestionnaireResponse,
  JheScopeRequest,
  JheStudy,
  Study
} from '../../schema/index.js';
import { writeStagedStudy, type IWrittenStudy } from '../dataset/index.js';
import type { IDataCaller, IDataSource } from '../index.js';
import type { ITinkKeyset } from '../tink/index.js';
import { JheClient, JheRequestError, type IJheClientOptions } from './client.js';
import { openObservation } from './open.js';
import type { SyntheticStudies } from '../synthetic-exchange.js';
import {
  defaultSnapshotOptions,
  readSnapshot,
  SearchChangedError,
  type ISnapshotOptions
} from './snapshot.js';

/** Which JHE access token reads for a caller; undefined when there is none. */
export type JheTokenFor = (caller: IDataCaller) => Promise<string | undefined>;

/** Today: the submitting user's own JHE token (from the hub's auth_state or a token file). */
export const callerToken: JheTokenFor = async caller => caller.jheToken?.();

export interface IJheSourceOptions {
  url: string;
  /** The partner private keyset CommonHealth records are encrypted to; plaintext-only without it. */
  partnerKeyset?: ITinkKeyset;
  client?: IJheClientOptions;
  /** Generates each study's synthetic data for the preflight: the same the researcher's server sees. */
  synthetic?: SyntheticStudies;
  /** How staging reads a study's searches (page size, concurrency, re-reads when it changes). */
  snapshot?: ISnapshotOptions;
  /** Where the token comes from (default: the caller's own). */
  token?: JheTokenFor;
}

/** What staging reports for the audit log and the archive: sizes, the hash and counts, never records. */
function stagedSummary(written: IWrittenStudy) {
  return {
    files: written.files,
    bytes: written.bytes,
    sha256: written.sha256,
    records: {
      patients: written.patients,
      observations: written.observations,
      ...(written.questionnaireResponses > 0
        ? { questionnaireResponses: written.questionnaireResponses }
        : {}),
      counts: written.counts
    }
  };
}

/** A study scope that asks for QuestionnaireResponses rather than an Open mHealth code. */
const questionnaireScope = (r: JheScopeRequest) =>
  r.scopeCode.codingCode === 'QuestionnaireResponse';

/** A JHE refusal as a sentence naming the study and what to do. */
export function jheFailure(e: unknown, study: string): unknown {
  if (e instanceof SearchChangedError) {
    return new HBrokerError(
      'study_changed_during_staging',
      `Study ${study} changed while HBroker was reading it from the JupyterHealth Exchange, so no data of it was used: ${e.reason}, on each of ${e.attempts} reads. Submit again when the study's data has stopped changing (for example after an upload finishes).`,
      503
    );
  }
  if (!(e instanceof JheRequestError)) {
    return e;
  }
  switch (e.status) {
    case 401:
      return new HBrokerError(
        'jhe_unauthorized',
        `The JupyterHealth Exchange refused your token while reading study ${study} (401). Log out of JupyterHub and log in again to renew it, then submit again.`,
        403
      );
    case 403:
      return new HBrokerError(
        'jhe_forbidden',
        `The JupyterHealth Exchange does not let you read study ${study} (403). Ask the study's organization to add you, or check that its patients consented to these data types.`,
        403
      );
    case 404:
      return new HBrokerError(
        'jhe_study_not_found',
        `Study ${study} does not exist on the JupyterHealth Exchange (404). Check the study id with GET /api/v1/studies.`,
        404
      );
    default:
      return new HBrokerError(
        'jhe_unavailable',
        `The JupyterHealth Exchange could not answer for study ${study} (${e.status ?? 'unreachable'}) after several tries. Submit again later, or ask an admin to check the exchange.`,
        503
      );
  }
}

export class JheDataSource implements IDataSource {
  constructor(private options: IJheSourceOptions) {}

  private async client(caller: IDataCaller): Promise<JheClient> {
    const token = await (this.options.token ?? callerToken)(caller);
    if (!token) {
      throw new HBrokerError(
        'jhe_token_missing',
        'The hub holds no JupyterHealth Exchange token for you. Log out of JupyterHub and log in again through the exchange, then try again.',
        403
      );
    }
    return new JheClient(this.options.url, token, this.options.client);
  }

  async studies(caller: IDataCaller): Promise<Study[]> {
    const jhe = await this.client(caller);
    const studies: Study[] = [];
    try {
      for await (const s of jhe.list<JheStudy>('api/v1/studies', { page_size: 1000 })) {
        const scopes = await jhe.get<JheScopeRequest[]>(`api/v1/studies/${s.id}/scope_requests`);
        const patients = await jhe.get<{ count: number }>('api/v1/patients', { study_id: s.id });
        studies.push({
          id: String(s.id),
          name: s.name,
          ...(s.description ? { description: s.description } : {}),
          codes: scopes.map(r => r.scopeCode.codingCode),
          patients: patients.count
        });
      }
    } catch (e) {
      throw jheFailure(e, 'list');
    }
    return studies;
  }

  async has(study: string, caller: IDataCaller): Promise<boolean> {
    if (!/^\d+$/.test(study)) {
      return false;
    }
    const jhe = await this.client(caller);
    try {
      await jhe.get(`api/v1/studies/${study}`);
      return true;
    } catch (e) {
      if (e instanceof JheRequestError && (e.status === 403 || e.status === 404)) {
        return false;
      }
      throw jheFailure(e, study);
    }
  }

  /** The study's outline (metadata, codes, patient count: no records) turned into synthetic data. */
  async stageSynthetic(study: string, into: string, caller: IDataCaller) {
    const synthetic = this.options.synthetic;
    if (!synthetic) {
      return undefined;
    }
    const jhe = await this.client(caller);
    try {
      const meta = await jhe.get<JheStudy>(`api/v1/studies/${study}`);
      const scopes = await jhe.get<JheScopeRequest[]>(`api/v1/studies/${study}/scope_requests`);
      const patients = await jhe.get<{ count: number }>('api/v1/patients', { study_id: study });
      const written = await synthetic.stage(
        { study: meta, codes: scopes.map(s => s.scopeCode), patients: patients.count },
        into
      );
      return stagedSummary(written);
    } catch (e) {
      throw jheFailure(e, study);
    }
  }

  async stage(study: string, into: string, caller: IDataCaller) {
    const jhe = await this.client(caller);
    const key = this.options.partnerKeyset;
    try {
      const meta = await jhe.get<JheStudy>(`api/v1/studies/${study}`);
      const scopes = await jhe.get<JheScopeRequest[]>(`api/v1/studies/${study}/scope_requests`);
      const patients = await this.patientsOf(jhe, study);
      const snapshot = this.options.snapshot ?? defaultSnapshotOptions;
      const inStudy = { 'patient._has:Group:member:_id': study };
      const read = await readSnapshot<JheObservation>(jhe, 'Observation', inStudy, snapshot);
      const responses = scopes.some(questionnaireScope)
        ? await readSnapshot<JheQuestionnaireResponse>(
            jhe,
            'QuestionnaireResponse',
            inStudy,
            snapshot
          )
        : [];
      // Only scope_requests render when the study last changed; the run's facade serves it there too.
      const lastUpdated = scopes[0]?.study.lastUpdated;
      const written = await writeStagedStudy(
        into,
        {
          study: lastUpdated ? { ...meta, lastUpdated } : meta,
          codes: scopes.map(s => s.scopeCode),
          source: 'jhe'
        },
        patients,
        (function* () {
          for (const o of read) {
            yield openObservation(o, key, study); // one at a time: decrypted text is never all in memory twice
          }
        })(),
        responses
      );
      return stagedSummary(written);
    } catch (e) {
      throw jheFailure(e, study);
    }
  }

  /** The study's patients, 1000 a page (JHE's cap), each once. */
  private async patientsOf(jhe: JheClient, study: string): Promise<JhePatient[]> {
    const patients = new Map<number, JhePatient>();
    for await (const p of jhe.list<JhePatient>('api/v1/patients', {
      study_id: study,
      page_size: 1000
    })) {
      patients.set(p.id, p);
    }
    return [...patients.values()];
  }
}
