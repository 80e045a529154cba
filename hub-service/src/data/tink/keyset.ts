// Tink keysets, JSON or binary, read and written with protobufjs from proto/tink.proto.
import protobuf from 'protobufjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = protobuf.loadSync(
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'proto', 'tink.proto')
);
export const tinkType = (name: string) => root.lookupType(`google.crypto.tink.${name}`);
export const typeUrl = (name: string) => `type.googleapis.com/google.crypto.tink.${name}`;

export type OutputPrefix = 'TINK' | 'LEGACY' | 'RAW' | 'CRUNCHY';

export interface ITinkKey {
  keyId: number;
  status: 'ENABLED' | 'DISABLED' | 'DESTROYED' | 'UNKNOWN_STATUS';
  prefix: OutputPrefix;
  typeUrl: string;
  /** The serialized key proto (AesGcmKey, EciesAeadHkdfPrivateKey, …). */
  value: Buffer;
  material: string;
}

export interface ITinkKeyset {
  primaryKeyId: number;
  keys: ITinkKey[];
}

export class TinkError extends Error {}

const asObject = { enums: String, longs: Number, defaults: true } as const;

/**
 * Reads a keyset in Tink's JSON format (text starting with "{") or its binary protobuf format.
 * Tink's JSON is the Keyset message in proto3 JSON form, so both become the same message.
 */
export function parseKeyset(input: Buffer | string): ITinkKeyset {
  const Keyset = tinkType('Keyset');
  const text = typeof input === 'string' ? input : input.toString('utf8');
  let message: any;
  try {
    const decoded = text.trimStart().startsWith('{')
      ? Keyset.fromObject(JSON.parse(text))
      : Keyset.decode(Buffer.from(input));
    message = Keyset.toObject(decoded, asObject);
  } catch (e) {
    throw new TinkError(`not a Tink keyset: ${(e as Error).message}`);
  }
  return {
    primaryKeyId: message.primaryKeyId,
    keys: message.key.map((k: any) => ({
      keyId: k.keyId,
      status: k.status,
      prefix: k.outputPrefixType,
      typeUrl: k.keyData.typeUrl,
      value: Buffer.from(k.keyData.value),
      material: k.keyData.keyMaterialType
    }))
  };
}

export function keysetToJson(keyset: ITinkKeyset): string {
  return JSON.stringify(
    {
      primaryKeyId: keyset.primaryKeyId,
      key: keyset.keys.map(k => ({
        keyData: {
          typeUrl: k.typeUrl,
          value: k.value.toString('base64'),
          keyMaterialType: k.material
        },
        status: k.status,
        keyId: k.keyId,
        outputPrefixType: k.prefix
      }))
    },
    null,
    2
  );
}

/** The bytes Tink puts before a ciphertext made with this key. */
export function prefixOf(key: ITinkKey): Buffer {
  if (key.prefix === 'RAW') {
    return Buffer.alloc(0);
  }
  const prefix = Buffer.alloc(5);
  prefix[0] = key.prefix === 'TINK' ? 1 : 0;
  prefix.writeUInt32BE(key.keyId >>> 0, 1);
  return prefix;
}

/**
 * Tries each enabled key whose prefix the ciphertext carries, then each RAW key, as Tink's primitive
 * sets do. The first key that authenticates wins; if none does, the ciphertext is refused.
 */
export function decryptWithKeyset(
  keyset: ITinkKeyset,
  typeUrlWanted: string,
  ciphertext: Buffer,
  decrypt: (key: ITinkKey, body: Buffer) => Buffer
): Buffer {
  const usable = keyset.keys.filter(k => k.status === 'ENABLED' && k.typeUrl === typeUrlWanted);
  if (usable.length === 0) {
    throw new TinkError(`the keyset has no enabled ${typeUrlWanted.split('.').pop()} key`);
  }
  const candidates = [
    ...usable.filter(k => k.prefix !== 'RAW' && ciphertext.subarray(0, 5).equals(prefixOf(k))),
    ...usable.filter(k => k.prefix === 'RAW')
  ];
  for (const key of candidates) {
    try {
      return decrypt(key, ciphertext.subarray(prefixOf(key).length));
    } catch {
      // Not this key: try the next, as Tink does.
    }
  }
  throw new TinkError(
    'decryption failed: the ciphertext was altered, or was not made for this key or context'
  );
}
