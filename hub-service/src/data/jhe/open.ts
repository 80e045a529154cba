// One Observation's payload made plaintext: CommonHealth envelopes decrypted, Open mHealth passed through.
import { HBrokerError } from '../../errors.js';
import type { JheObservation } from '../../schema/index.js';
import {
  openCommonHealthRecord,
  TinkError,
  type ICommonHealthRecord,
  type ITinkKeyset
} from '../tink/index.js';

const isEnvelope = (v: unknown): v is ICommonHealthRecord =>
  typeof v === 'object' && v !== null && 'encrypted_dek' in v && 'encrypted_content' in v;

/**
 * Whether a record is encrypted is read from its payload, not its contentType: an envelope has
 * encrypted_dek and encrypted_content. Any record that cannot be opened fails the whole study.
 */
export function openObservation(
  observation: JheObservation,
  partner: ITinkKeyset | undefined,
  study: string
): JheObservation {
  let payload: unknown;
  try {
    payload = JSON.parse(
      Buffer.from(observation.valueAttachment.data.replace(/\s/g, ''), 'base64').toString('utf8')
    );
  } catch {
    throw new HBrokerError(
      'unreadable_record',
      `Observation ${observation.id} of study ${study} does not hold JSON, so no data of the study was used. Ask the data controller to check the record.`,
      422
    );
  }
  if (!isEnvelope(payload)) {
    return observation;
  }
  if (!partner) {
    throw new HBrokerError(
      'no_partner_key',
      `Study ${study} holds encrypted (CommonHealth) records but this service has no partner key. An admin should set data.jhe.partner_keyset (see hbroker keys generate).`,
      500
    );
  }
  try {
    const plain = openCommonHealthRecord(partner, payload);
    return {
      ...observation,
      valueAttachment: { contentType: 'application/json', data: plain.toString('base64') }
    };
  } catch (e) {
    const reason = e instanceof TinkError ? e.message : 'it could not be decrypted';
    throw new HBrokerError(
      'undecryptable_record',
      `Observation ${observation.id} of study ${study}: ${reason}. No data of the study was used. Ask the data controller whether it was encrypted for this service's partner key.`,
      422
    );
  }
}
