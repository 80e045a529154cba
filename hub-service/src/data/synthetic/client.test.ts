// The real jupyterhealth-client (PyPI) reads synthetic Observations as it reads JHE's: its
// tidy_observation decodes each one into the columns a researcher's notebook uses.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { supportedCodes, syntheticObservations } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const python = join(here, '..', '..', '..', '..', '.venv', 'bin', 'python');

// One DataFrame, as list_observations_df builds it; per code: rows, fully filled columns, dtypes.
const tidy = `
import json, sys
import pandas as pd
from jupyterhealth_client import tidy_observation
frame = pd.DataFrame.from_records([tidy_observation(json.loads(line)) for line in sys.stdin])
out = {}
for code, rows in frame.groupby("code"):
    full = [c for c in rows.columns if rows[c].notna().all()]
    out[code] = {"rows": len(rows), "columns": {c: str(rows[c].dtype) for c in full}}
print(json.dumps(out))
`;

describe('synthetic observations in jupyterhealth-client', () => {
  it('tidy into the value, unit, time and patient columns of each code', () => {
    const spec = {
      study: { id: 5, name: 'Client' },
      codes: [...supportedCodes],
      patients: 4,
      start: '2025-01-01',
      end: '2025-02-01',
      perPatientPerCode: 5,
      seed: 'client'
    };
    const ndjson = [...syntheticObservations(spec)].map(o => JSON.stringify(o)).join('\n');
    const byCode = JSON.parse(execFileSync(python, ['-c', tidy], { input: ndjson }).toString());
    const expected: Record<string, string[]> = {
      'omh:blood-pressure:4.0': ['systolic_blood_pressure_value', 'diastolic_blood_pressure_value'],
      'omh:heart-rate:2.0': ['heart_rate_value'],
      'omh:blood-glucose:4.0': ['blood_glucose_value', 'temporal_relationship_to_meal'],
      'omh:step-count:3.0': ['step_count_value'],
      'omh:body-weight:3.0': ['body_weight_value'],
      'omh:oxygen-saturation:2.0': ['oxygen_saturation_value'],
      'omh:sleep-duration:2.0': ['sleep_duration_value'],
      'ieee:sleep-stage-summary:1.0': [
        'sleep_stage_summary_total_sleep_time_value',
        'sleep_stage_summary_deep_sleep_duration_value'
      ]
    };
    assert.deepEqual(Object.keys(byCode).sort(), [...supportedCodes].sort());
    for (const [code, values] of Object.entries(expected)) {
      const { rows, columns } = byCode[code];
      assert.equal(rows, 4 * 5, code);
      for (const column of values) {
        assert.match(
          columns[column] ?? 'missing',
          /^(int64|float64|object)$/,
          `${code}: ${column}`
        );
      }
      for (const column of ['subject_reference', 'meta_lastUpdated', 'source_creation_date_time']) {
        assert.ok(column in columns, `${code}: ${column}`);
      }
      // Timestamps parse: the client turns every *date_time field into UTC datetimes.
      const when =
        code.includes('sleep') || code.includes('step')
          ? 'effective_time_frame_time_interval_start_date_time'
          : 'effective_time_frame_date_time';
      assert.equal(columns[when], 'datetime64[ns, UTC]', `${code}: ${when}`);
    }
  });
});
