// One Observation as a flat row, with the column names jupyterhealth-client's tidy_observation gives.
import type { JheObservation } from '../../schema/index.js';

export type TidyValue = string | number | boolean | null;

function flatten(value: unknown, prefix: string, into: Record<string, TidyValue>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value as Record<string, unknown>);
    for (const [key, child] of entries) {
      flatten(child, prefix ? `${prefix}_${key}` : key, into);
    }
  } else {
    into[prefix] = value as TidyValue;
  }
}

/** The wall-clock part of an ISO time, as the client's `<field>_local` columns hold it. */
const localPart = (iso: string) => iso.replace(/(Z|[+-]\d\d:?\d\d)$/, '');

/** The decoded Open mHealth data point of an Observation whose attachment is plaintext JSON. */
export function dataPointOf(observation: JheObservation): Record<string, unknown> {
  const text = Buffer.from(observation.valueAttachment.data.replace(/\s/g, ''), 'base64');
  return JSON.parse(text.toString('utf8')) as Record<string, unknown>;
}

/**
 * Same keys as tidy_observation: code, the Observation's own fields without valueAttachment, then
 * the data point's header and body, flattened with "_"; every *date_time also gets a *_local twin.
 */
export function tidyObservation(
  observation: JheObservation,
  point = dataPointOf(observation)
): Record<string, TidyValue> {
  const code = observation.code.coding[0].code;
  const row: Record<string, TidyValue> = { resource_type: code, code };
  const top: Record<string, unknown> = { ...observation };
  delete top.valueAttachment;
  flatten(top, '', row);
  const header = 'body' in point ? (point.header ?? {}) : {};
  const body = 'body' in point ? point.body : point;
  flatten(header, '', row);
  flatten(body, '', row);
  for (const key of Object.keys(row)) {
    const value = row[key];
    if (key.endsWith('date_time') && typeof value === 'string') {
      row[key] = new Date(value).toISOString();
      row[`${key}_local`] = localPart(value);
    }
  }
  return row;
}
