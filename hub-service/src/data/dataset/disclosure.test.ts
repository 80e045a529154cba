import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { disclosureIndexOf } from './disclosure.js';
import { writeStagedStudy } from './layout.js';
import { syntheticQuestionnaireResponses } from '../synthetic/index.js';
import { codes, observations, patients, study } from './study.fixture.js';

describe('the disclosure index of staged data', () => {
  const root = mkdtempSync(join(tmpdir(), 'hbroker-disclosure-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('holds every identifier and every (patient, time, value) record of a JHE study', async () => {
    const dir = join(root, 'jhe');
    await writeStagedStudy(dir, { study, codes, source: 'jhe' }, patients, observations());
    const index = disclosureIndexOf(dir);
    for (const id of [
      '40001',
      '10002',
      'mrn-40002',
      'patient0@example.org',
      '1971-02-02',
      'record-50001',
      'uuid-50001'
    ]) {
      assert.ok(index.identifiers.includes(id), id);
    }
    // 50 heart rates, and two values for each of 3 blood pressures.
    const responses = syntheticQuestionnaireResponses(patients, 'disclosure', '2026-01-05', 2);
    const withResponses = join(root, 'jhe-responses');
    await writeStagedStudy(
      withResponses,
      { study, codes, source: 'jhe' },
      patients,
      observations(),
      responses
    );
    const identifiers = disclosureIndexOf(withResponses).identifiers;
    for (const r of responses) {
      assert.ok(identifiers.includes(r.id), 'a QuestionnaireResponse id');
      assert.ok(identifiers.includes(r.subject.reference.slice(8)), 'the external patient id');
    }
    assert.equal(index.records.length, 50 + 6);
    assert.equal(index.patients, patients.length);
    assert.ok(
      index.records.some(
        r => r.patient === '40002' && r.time === '2026-02-01T07:30:00-08:00' && r.value === '72'
      ),
      JSON.stringify(index.records.filter(r => r.patient === '40002').slice(0, 2))
    );
    assert.ok(!index.records.some(r => r.value === '40001'), 'ids are not values');
  });

  it('reads a plain study folder of CSV files too', () => {
    const dir = join(root, 'local', 'demo');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'heart_rate.csv'),
      'patient_id,effective_time,heart_rate\np001,2026-01-01T08:00:00Z,61\np002,2026-01-02T08:00:00Z,"72"\n'
    );
    const index = disclosureIndexOf(join(root, 'local'));
    assert.deepEqual(index.identifiers.sort(), ['p001', 'p002']);
    assert.deepEqual(index.records, [
      {
        patient: 'p001',
        time: '2026-01-01T08:00:00Z',
        value: '61',
        column: 'demo/heart_rate.csv:heart_rate'
      },
      {
        patient: 'p002',
        time: '2026-01-02T08:00:00Z',
        value: '72',
        column: 'demo/heart_rate.csv:heart_rate'
      }
    ]);
  });

  it('is empty for a folder that does not exist', () => {
    assert.deepEqual(disclosureIndexOf(join(root, 'none')), { identifiers: [], records: [] });
  });
});
