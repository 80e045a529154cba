// Wraps a reading the way JHE serves it: an Open mHealth data point (IEEE 1752 header + body), base64 in
// the valueAttachment of a FHIR R5 Observation with JHE's meta, identifier and subject.
import type { JheObservation } from '../../schema/index.js';
import type { ICodeModel, IReading } from './reading.js';
import { iso } from './timing.js';

/** JHE's FHIR identifier system for a patient's JHE user id (Observation.subject.identifier). */
export const JHE_USER_ID_SYSTEM = 'https://jupyterhealth.org/fhir/identifier/jhe-user-id';
/** JHE's Observation.meta.source. */
export const JHE_SOURCE = 'https://jupyterhealth.org/jhe';
/** The identifier system of a synthetic record's id (Observation.identifier). */
export const SYNTHETIC_RECORD_SYSTEM = 'urn:hbroker:synthetic-record';
/** acquisition_provenance.source_name in every synthetic header, so the data says what it is. */
export const SYNTHETIC_SOURCE_NAME = 'HBroker synthetic data';

export interface IObservationIds {
  observation: number;
  patient: number;
  jheUser: number;
  /** header.uuid of the data point */
  dataPoint: string;
  /** the record id JHE keeps in Observation.identifier */
  record: string;
}

export interface ISchemaId {
  namespace: string;
  name: string;
  version: string;
  /** The header's schema_id as JSON, made once per code. */
  json: string;
}

export function schemaIdOf(code: string): ISchemaId {
  const [namespace, name, version] = code.split(':');
  return { namespace, name, version, json: JSON.stringify({ namespace, name, version }) };
}

// One scratch buffer for the base64 step instead of a new Buffer per data point (less garbage).
const scratch = Buffer.allocUnsafe(64 * 1024);

/** Base64 of an ASCII string. */
function base64(ascii: string): string {
  if (ascii.length > scratch.length) {
    return Buffer.from(ascii, 'latin1').toString('base64');
  }
  const length = scratch.write(ascii, 0, 'latin1');
  return scratch.toString('base64', 0, length);
}

/** `uploaded` (epoch ms): when JHE stored it, after the device recorded it. */
export function wrapReading(
  model: ICodeModel,
  schemaId: ISchemaId,
  reading: IReading,
  ids: IObservationIds,
  uploaded: number
): JheObservation {
  const stored = iso(uploaded);
  // The header is written out by hand (its values are uuids, timestamps and constants, nothing to
  // escape): it is half of every data point, and JSON.stringify of it was the generator's main cost.
  const json =
    `{"header":{"uuid":"${ids.dataPoint}","schema_id":${schemaId.json},` +
    `"source_creation_date_time":"${iso(reading.recorded)}",` +
    `"creation_date_time":"${stored}","modality":"sensed",` +
    `"acquisition_provenance":{"source_name":"${SYNTHETIC_SOURCE_NAME}"}},` +
    `"body":${JSON.stringify(reading.body)}}`;
  const data = base64(json);
  const effective = reading.effective;
  return {
    resourceType: 'Observation',
    meta: { lastUpdated: stored, source: JHE_SOURCE },
    id: String(ids.observation),
    identifier: [{ system: SYNTHETIC_RECORD_SYSTEM, value: ids.record }],
    status: 'final',
    code: { coding: [{ system: model.system, code: model.code, display: model.display }] },
    ...('at' in effective
      ? { effectiveDateTime: effective.at }
      : { effectivePeriod: { start: effective.start, end: effective.end } }),
    subject: {
      reference: `Patient/${ids.patient}`,
      identifier: { system: JHE_USER_ID_SYSTEM, value: String(ids.jheUser) }
    },
    valueAttachment: { contentType: 'application/json', data }
  };
}
