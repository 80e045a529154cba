// Wraps a reading the way JHE serves it: an Open mHealth data point (IEEE 1752 header + body), base64 in
// the valueAttachment of a FHIR R5 Observation with JHE's meta, identifier and subject.
import type { JheObservation } from '../../schema/index.js';
import type { ICodeModel, IReading } from './reading.js';

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
}

export function schemaIdOf(code: string): ISchemaId {
  const [namespace, name, version] = code.split(':');
  return { namespace, name, version };
}

/** `uploaded` (epoch ms): when JHE stored it, after the device recorded it. */
export function wrapReading(
  model: ICodeModel,
  schemaId: ISchemaId,
  reading: IReading,
  ids: IObservationIds,
  uploaded: number
): JheObservation {
  const stored = new Date(uploaded).toISOString();
  const dataPoint = {
    header: {
      uuid: ids.dataPoint,
      schema_id: schemaId,
      source_creation_date_time: new Date(reading.recorded).toISOString(),
      creation_date_time: stored,
      modality: 'sensed',
      acquisition_provenance: { source_name: SYNTHETIC_SOURCE_NAME }
    },
    body: reading.body
  };
  const data = Buffer.from(JSON.stringify(dataPoint)).toString('base64');
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
