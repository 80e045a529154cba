// Tink hybrid decryption, ECIES-AEAD-HKDF on NIST P-256 with an AES-GCM DEM:
// ciphertext = prefix | ephemeral public point (KEM) | AES-GCM(iv | ct | tag) with an empty AD;
// DEM key = HKDF(hash, ikm = KEM bytes | shared x, salt, info = context).
import { createECDH, hkdfSync, type ECDH } from 'node:crypto';
import { aesGcmOpen, aesGcmTypeUrl } from './aead.js';
import {
  decryptWithKeyset,
  TinkError,
  tinkType,
  typeUrl,
  type ITinkKey,
  type ITinkKeyset
} from './keyset.js';

export const eciesPrivateTypeUrl = typeUrl('EciesAeadHkdfPrivateKey');
export const eciesPublicTypeUrl = typeUrl('EciesAeadHkdfPublicKey');

const hashes: Record<string, string> = {
  SHA1: 'sha1',
  SHA224: 'sha224',
  SHA256: 'sha256',
  SHA384: 'sha384',
  SHA512: 'sha512'
};

/** Big-endian integers in Tink keys may carry a leading zero byte (33 bytes); P-256 wants 32. */
export function fixedLength(bytes: Buffer, length = 32): Buffer {
  let b = bytes;
  while (b.length > length && b[0] === 0) {
    b = b.subarray(1);
  }
  if (b.length > length) {
    throw new TinkError(`a key coordinate is ${b.length} bytes, more than ${length}`);
  }
  return Buffer.concat([Buffer.alloc(length - b.length), b]);
}

interface IEciesKey {
  d: Buffer;
  hash: string;
  salt: Buffer;
  pointFormat: string;
  demKeySize: number;
}

function readPrivateKey(value: Buffer): IEciesKey {
  const key = tinkType('EciesAeadHkdfPrivateKey').toObject(
    tinkType('EciesAeadHkdfPrivateKey').decode(value),
    {
      enums: String,
      longs: Number,
      defaults: true
    }
  ) as any;
  const params = key.publicKey.params;
  if (params.kemParams.curveType !== 'NIST_P256') {
    throw new TinkError(`curve ${params.kemParams.curveType} is not supported (only NIST_P256)`);
  }
  const dem = params.demParams.aeadDem;
  if (dem.typeUrl !== aesGcmTypeUrl) {
    throw new TinkError(`DEM ${dem.typeUrl} is not supported (only AES-GCM)`);
  }
  const format = tinkType('AesGcmKeyFormat').toObject(
    tinkType('AesGcmKeyFormat').decode(dem.value),
    { defaults: true }
  ) as {
    keySize: number;
  };
  return {
    d: fixedLength(Buffer.from(key.keyValue)),
    hash: hashes[params.kemParams.hkdfHashType] ?? 'unsupported',
    salt: Buffer.from(params.kemParams.hkdfSalt ?? []),
    pointFormat: params.ecPointFormat,
    demKeySize: format.keySize
  };
}

/** Parsed keys, by the keyset entry they came from: a study's records share one partner key. */
const parsed = new WeakMap<ITinkKey, IEciesKey & { ecdh: ECDH }>();

function eciesKeyOf(key: ITinkKey): IEciesKey & { ecdh: ECDH } {
  let ready = parsed.get(key);
  if (!ready) {
    const fields = readPrivateKey(key.value);
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(fields.d);
    ready = { ...fields, ecdh };
    parsed.set(key, ready);
  }
  return ready;
}

function eciesOpen(key: IEciesKey & { ecdh: ECDH }, body: Buffer, context: Buffer): Buffer {
  const kemLength = key.pointFormat === 'COMPRESSED' ? 33 : 65;
  const kem = body.subarray(0, kemLength);
  const shared = key.ecdh.computeSecret(kem);
  const demKey = Buffer.from(
    hkdfSync(key.hash, Buffer.concat([kem, shared]), key.salt, context, key.demKeySize)
  );
  return aesGcmOpen(demKey, body.subarray(kemLength), Buffer.alloc(0));
}

export function hybridDecrypt(keyset: ITinkKeyset, ciphertext: Buffer, context: Buffer): Buffer {
  return decryptWithKeyset(keyset, eciesPrivateTypeUrl, ciphertext, (key, body) =>
    eciesOpen(eciesKeyOf(key), body, context)
  );
}
