// The CommonHealth envelope: a per-record AES-256-GCM keyset (the DEK), hybrid-encrypted to the partner.
import { aeadDecrypt } from './aead.js';
import { hybridDecrypt } from './hybrid.js';
import { parseKeyset, TinkError, type ITinkKeyset } from './keyset.js';

export interface ICommonHealthRecord {
  client_record_id: string;
  client_datagroup_id: string;
  /** base64: Tink hybrid ciphertext of a binary Tink keyset holding the DEK. */
  encrypted_dek: string;
  /** base64: Tink AEAD ciphertext of the record, associated data = client_record_id. */
  encrypted_content: string;
}

/** The record's plaintext, or a TinkError naming the record when anything does not authenticate. */
export function openCommonHealthRecord(partner: ITinkKeyset, record: ICommonHealthRecord): Buffer {
  try {
    const context = Buffer.from(record.client_record_id + record.client_datagroup_id, 'utf8');
    const dek = parseKeyset(
      hybridDecrypt(partner, Buffer.from(record.encrypted_dek, 'base64'), context)
    );
    return aeadDecrypt(
      dek,
      Buffer.from(record.encrypted_content, 'base64'),
      Buffer.from(record.client_record_id, 'utf8')
    );
  } catch (e) {
    throw new TinkError(
      `record ${record.client_record_id} could not be decrypted: ${(e as Error).message}`
    );
  }
}
