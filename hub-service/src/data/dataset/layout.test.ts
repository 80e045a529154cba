import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { validate } from '../../schema/index.js';
import { layout, readStagedStudy, writeStagedStudy } from './index.js';
import { codes, observations, patients, study } from './study.fixture.js';

describe('the staged study layout', () => {
  const root = mkdtempSync(join(tmpdir(), 'hbroker-layout-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  const write = async (name: string) => {
    const dir = join(root, name);
    return {
      dir,
      written: await writeStagedStudy(
        dir,
        { study, codes, source: 'jhe' },
        patients,
        observations()
      )
    };
  };

  it('writes FHIR NDJSON, the JHE shapes and one tidy CSV per code, private to the owner', async () => {
    const { dir, written } = await write('a');
    assert.equal(written.observations, 53);
    assert.equal(written.patients, 2);
    assert.deepEqual(readdirSync(join(dir, 'csv')).sort(), [
      'omh_blood-pressure_4.0.csv',
      'omh_heart-rate_2.0.csv'
    ]);
    const meta = validate(
      'staged-study.schema.json',
      JSON.parse(readFileSync(join(dir, layout.meta), 'utf8')),
      'study.json'
    );
    assert.equal((meta as { observations: number }).observations, 53);
    assert.equal(statSync(join(dir, layout.observations)).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'fhir')).mode & 0o777, 0o700);
    const fhirPatient = JSON.parse(
      readFileSync(join(dir, layout.fhirPatients), 'utf8').split('\n')[0]
    );
    assert.equal(fhirPatient.resourceType, 'Patient');
    assert.equal(fhirPatient.birthDate, '1970-02-01');
  });

  it('names CSV columns as jupyterhealth-client tidies an observation', async () => {
    const { dir } = await write('b');
    const [header, first, ...rest] = readFileSync(
      join(dir, 'csv', 'omh_heart-rate_2.0.csv'),
      'utf8'
    )
      .trim()
      .split('\n');
    const columns = header.split(',');
    for (const c of [
      'code',
      'id',
      'subject_reference',
      'heart_rate_value',
      'heart_rate_unit',
      'effective_time_frame_date_time',
      'effective_time_frame_date_time_local',
      'schema_id_name'
    ]) {
      assert.ok(columns.includes(c), `column ${c} in ${header}`);
    }
    assert.equal(rest.length, 49);
    const row = Object.fromEntries(columns.map((c, i) => [c, first.split(',')[i]]));
    assert.equal(row.subject_reference, 'Patient/40001');
    // Times are UTC in the plain column and the wall clock in the _local one, as the client does.
    assert.equal(row.effective_time_frame_date_time, '2026-02-01T15:30:00.000Z');
    assert.equal(row.effective_time_frame_date_time_local, '2026-02-01T07:30:00');
  });

  it('hashes the dataset version: same data same hash, one changed value another', async () => {
    const a = (await write('c')).written;
    const b = (await write('d')).written;
    assert.equal(a.sha256, b.sha256);
    const changed = observations();
    changed[0] = { ...changed[0], id: '99999' };
    const c = await writeStagedStudy(
      join(root, 'e'),
      { study, codes, source: 'jhe' },
      patients,
      changed
    );
    assert.notEqual(c.sha256, a.sha256);
  });

  it('reads back what it wrote', async () => {
    const { dir } = await write('f');
    const data = readStagedStudy(dir);
    assert.deepEqual(data.patients, patients);
    assert.deepEqual(data.observations, observations());
    assert.equal(data.meta.study.id, study.id);
  });
});
