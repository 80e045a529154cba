// Same code, synthetic or real, proven with the real client: every public method of jupyterhealth-client
// 0.5.0 against the synthetic exchange (as a user's server sees it) and against the in-run facade (as a
// sensitive run sees it); list_observations_df with its defaults takes the same slice in both.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startExchanges, type IExchanges, type IServerUnderTest } from './support/exchanges.js';
import { repoRoot } from './support/service.js';

const python = join(repoRoot, '.venv', 'bin', 'python');
const script = join(repoRoot, 'test', 'support', 'jhe_client_methods.py');

interface IClientReport {
  public: string[];
  not_called: string[];
  outcomes: Record<string, string>;
  default_df_ids: string[];
  resource_types: string[];
  questionnaire_responses: number;
}

async function runClient(server: IServerUnderTest, study: number): Promise<IClientReport> {
  const patient = server.view.patientsOf(study)[0];
  const { stdout } = await promisify(execFile)(
    python,
    [
      script,
      String(study),
      String(patient.id),
      server.view.observations(undefined)[0].id,
      patient.telecomEmail ?? '',
      patient.identifiers?.[0]?.value ?? ''
    ],
    {
      env: { ...process.env, JHE_URL: server.base, JHE_TOKEN: server.token },
      maxBuffer: 64 * 1024 * 1024
    }
  );
  return JSON.parse(stdout) as IClientReport;
}

describe('jupyterhealth-client 0.5.0, every public method, synthetic and real', () => {
  let started: IExchanges;
  const reports = new Map<string, IClientReport>();
  before(async () => {
    // 2400 records in study 30001: more than the client's default limit of 2000.
    started = await startExchanges({ patients: 4, perPatientPerCode: 300, plaintext: true });
    for (const server of started.servers.filter(s => s.name !== 'dev exchange')) {
      reports.set(server.name, await runClient(server, 30001));
    }
  });
  after(() => started.stop());

  for (const name of ['synthetic exchange', 'in-run facade']) {
    it(`${name}: every public method answers as JHE would`, () => {
      const report = reports.get(name)!;
      assert.deepEqual(report.not_called, [], 'a public method the test does not call');
      assert.ok(report.public.length >= 18, report.public.join(', '));
      for (const [method, outcome] of Object.entries(report.outcomes)) {
        assert.equal(outcome, 'ok', `${method}: ${outcome}`);
      }
      assert.deepEqual(report.resource_types, ['Observation', 'QuestionnaireResponse']);
      assert.ok(report.questionnaire_responses > 0, 'the study asks for QuestionnaireResponses');
    });

    it(`${name}: list_observations_df() takes the newest 2000 by lastUpdated, as on JHE`, () => {
      const server = started.servers.find(s => s.name === name)!;
      const study = server.view.studies.get(30001)!;
      const ids = new Set(study.patientIds);
      // Worked out from the data: the study's records, newest lastUpdated first, the first 2000.
      const expected = [...server.view.data.observations]
        .filter(o => ids.has(Number(o.subject.reference.slice(8))))
        .sort((a, b) =>
          a.meta!.lastUpdated! === b.meta!.lastUpdated!
            ? Number(a.id) - Number(b.id)
            : a.meta!.lastUpdated! < b.meta!.lastUpdated!
              ? 1
              : -1
        )
        .slice(0, 2000)
        .map(o => o.id);
      assert.equal(expected.length, 2000, 'the study holds more than the default limit');
      assert.deepEqual(reports.get(name)!.default_df_ids, expected);
    });
  }
});
