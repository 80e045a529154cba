// Synthetic Observations: reproducible from the seed, as many as asked, shaped as JHE serves them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate, type JheObservation } from '../../schema/index.js';
import {
  JHE_USER_ID_SYSTEM,
  supportedCodes,
  syntheticObservations,
  syntheticPatients,
  type ISyntheticSpec
} from './index.js';

const spec = (over: Partial<ISyntheticSpec> = {}): ISyntheticSpec => ({
  study: { id: 3, name: 'Wrapping', organization: { id: 20001, name: 'Example Lab', type: 'edu' } },
  codes: [...supportedCodes],
  patients: 6,
  start: '2025-01-01',
  end: '2025-03-01',
  perPatientPerCode: 9,
  seed: 'alpha',
  ...over
});

const ndjson = (s: ISyntheticSpec) =>
  [...syntheticObservations(s)].map(o => JSON.stringify(o)).join('\n');
const decode = (o: JheObservation) =>
  JSON.parse(Buffer.from(o.valueAttachment.data, 'base64').toString('utf8'));

describe('synthetic observations', () => {
  it('are byte-identical for the same seed and spec, and differ for another seed', () => {
    const first = ndjson(spec());
    assert.equal(ndjson(spec()), first);
    assert.notEqual(ndjson(spec({ seed: 'beta' })), first);
    assert.deepEqual(syntheticPatients(spec()), syntheticPatients(spec()));
    assert.notDeepEqual(syntheticPatients(spec({ seed: 'beta' })), syntheticPatients(spec()));
  });

  it('keep a code’s values when other codes are added or removed', () => {
    const alone = [...syntheticObservations(spec({ codes: ['omh:heart-rate:2.0'] }))];
    const among = [...syntheticObservations(spec())].filter(
      o => o.code.coding[0].code === 'omh:heart-rate:2.0'
    );
    assert.deepEqual(
      among.map(o => o.valueAttachment.data),
      alone.map(o => o.valueAttachment.data)
    );
  });

  it('number patients × codes × perPatientPerCode, that many per patient and code', () => {
    const s = spec();
    const counts = new Map<string, number>();
    let total = 0;
    for (const o of syntheticObservations(s)) {
      const key = `${o.subject.reference} ${o.code.coding[0].code}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      total++;
    }
    assert.equal(total, s.patients * s.codes.length * s.perPatientPerCode);
    assert.equal(counts.size, s.patients * s.codes.length);
    assert.ok([...counts.values()].every(n => n === s.perPatientPerCode));
    assert.equal([...syntheticObservations(spec({ patients: 0 }))].length, 0);
    assert.equal([...syntheticObservations(spec({ codes: [] }))].length, 0);
  });

  it('have distinct integer ids, apart from every patient id and JHE user id', () => {
    const patients = syntheticPatients(spec());
    const observationIds = [...syntheticObservations(spec())].map(o => o.id);
    assert.ok(observationIds.every(id => /^[1-9][0-9]*$/.test(id)));
    assert.equal(new Set(observationIds).size, observationIds.length);
    const all = [
      ...observationIds.map(Number),
      ...patients.map(p => p.id),
      ...patients.map(p => p.jheUserId)
    ];
    assert.equal(new Set(all).size, all.length);
    assert.ok(all.every(Number.isSafeInteger));
  });

  it('are FHIR R5 Observations as JHE renders them, each about a patient of the study', () => {
    const s = spec();
    const patients = new Map(syntheticPatients(s).map(p => [`Patient/${p.id}`, p]));
    const start = Date.parse(s.start);
    const end = Date.parse(s.end);
    for (const o of syntheticObservations(s)) {
      validate<JheObservation>('jhe-observation.schema.json', o, 'synthetic observation');
      assert.equal(o.resourceType, 'Observation');
      assert.equal(o.status, 'final');
      assert.equal(o.meta?.source, 'https://jupyterhealth.org/jhe');
      assert.equal(o.valueAttachment.contentType, 'application/json');
      const patient = patients.get(o.subject.reference);
      assert.ok(patient, `${o.subject.reference} is one of the study's patients`);
      assert.deepEqual(o.subject.identifier, {
        system: JHE_USER_ID_SYSTEM,
        value: String(patient.jheUserId)
      });
      const coding = o.code.coding[0];
      assert.equal(
        coding.system,
        coding.code.startsWith('ieee:')
          ? 'https://w3id.org/ieee1752'
          : 'https://w3id.org/openmhealth'
      );
      const point = decode(o);
      assert.match(o.identifier?.[0].value ?? '', /^[0-9a-f-]{36}$/);
      assert.notEqual(o.identifier?.[0].value, point.header.uuid);
      // The FHIR timing is the data point's own, and both fall in the period.
      const frame = point.body.effective_time_frame;
      if (o.effectiveDateTime) {
        assert.equal(o.effectivePeriod, undefined);
        assert.equal(frame.date_time, o.effectiveDateTime);
        const at = Date.parse(o.effectiveDateTime);
        assert.ok(at >= start && at < end, `${o.effectiveDateTime} in the period`);
      } else {
        assert.deepEqual(o.effectivePeriod, {
          start: frame.time_interval.start_date_time,
          end: frame.time_interval.end_date_time
        });
        const from = Date.parse(o.effectivePeriod!.start!);
        assert.ok(from >= start && from < end, `${o.effectivePeriod!.start} in the period`);
        assert.ok(Date.parse(o.effectivePeriod!.end!) > from);
      }
      // Stored after it was recorded.
      assert.ok(
        Date.parse(o.meta!.lastUpdated!) > Date.parse(point.header.source_creation_date_time)
      );
      assert.equal(point.header.acquisition_provenance.source_name, 'HBroker synthetic data');
    }
  });

  it('stream: the first of billions comes at once, and a bad spec fails at the call', () => {
    const huge = spec({
      patients: 1_000_000,
      perPatientPerCode: 1000,
      codes: supportedCodes.filter(c => !c.includes('sleep'))
    });
    const started = performance.now();
    const first = syntheticObservations(huge)[Symbol.iterator]().next();
    assert.equal(first.done, false);
    assert.ok(performance.now() - started < 1000);
    assert.throws(() => syntheticObservations(spec({ codes: ['omh:no-such:1.0'] })), {
      code: 'unsupported_code'
    });
  });
});
