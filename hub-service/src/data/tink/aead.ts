// Tink AEAD with AES-GCM keys: iv (12) | ciphertext | tag (16), after the key's output prefix.
import { createDecipheriv } from 'node:crypto';
import { decryptWithKeyset, tinkType, typeUrl, type ITinkKeyset } from './keyset.js';

export const aesGcmTypeUrl = typeUrl('AesGcmKey');

/** Raw AES-GCM as Tink lays it out (also the DEM of ECIES). */
export function aesGcmOpen(key: Buffer, body: Buffer, associatedData: Buffer): Buffer {
  if (body.length < 28) {
    throw new Error('ciphertext too short');
  }
  const decipher = createDecipheriv(
    `aes-${key.length * 8}-gcm` as 'aes-256-gcm',
    key,
    body.subarray(0, 12)
  );
  decipher.setAAD(associatedData);
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]);
}

export function aeadDecrypt(
  keyset: ITinkKeyset,
  ciphertext: Buffer,
  associatedData: Buffer
): Buffer {
  return decryptWithKeyset(keyset, aesGcmTypeUrl, ciphertext, (key, body) => {
    const { keyValue } = tinkType('AesGcmKey').toObject(
      tinkType('AesGcmKey').decode(key.value)
    ) as { keyValue: Buffer };
    return aesGcmOpen(Buffer.from(keyValue), body, associatedData);
  });
}
