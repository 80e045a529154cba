// Tink-compatible encryption, for the dev exchange's seeded records: the sender's side of commonhealth.ts.
import { createCipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';
import { aesGcmTypeUrl } from './aead.js';
import type { ICommonHealthRecord } from './commonhealth.js';
import { eciesPublicTypeUrl } from './hybrid.js';
import { prefixOf, tinkType, TinkError, type ITinkKey, type ITinkKeyset } from './keyset.js';

const hashes: Record<string, string> = { SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };

function aesGcmSeal(key: Buffer, plaintext: Buffer, associatedData: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv(`aes-${key.length * 8}-gcm` as 'aes-256-gcm', key, iv);
  cipher.setAAD(associatedData);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function primary(keyset: ITinkKeyset, typeUrl: string): ITinkKey {
  const key = keyset.keys.find(
    k => k.keyId === keyset.primaryKeyId && k.status === 'ENABLED' && k.typeUrl === typeUrl
  );
  if (!key) {
    throw new TinkError(`the keyset's primary key is not an enabled ${typeUrl.split('.').pop()}`);
  }
  return key;
}

/** ECIES-AEAD-HKDF P-256 / AES-GCM to the primary key of a public keyset, with its output prefix. */
export function hybridEncrypt(
  publicKeyset: ITinkKeyset,
  plaintext: Buffer,
  context: Buffer
): Buffer {
  const key = primary(publicKeyset, eciesPublicTypeUrl);
  const pub = tinkType('EciesAeadHkdfPublicKey').toObject(
    tinkType('EciesAeadHkdfPublicKey').decode(key.value),
    { enums: String, defaults: true }
  ) as any;
  const params = pub.params;
  const dem = tinkType('AesGcmKeyFormat').toObject(
    tinkType('AesGcmKeyFormat').decode(params.demParams.aeadDem.value),
    { defaults: true }
  ) as { keySize: number };
  const pad = (b: Uint8Array) => {
    let v = Buffer.from(b);
    while (v.length > 32 && v[0] === 0) {
      v = v.subarray(1);
    }
    return Buffer.concat([Buffer.alloc(32 - v.length), v]);
  };
  const recipient = Buffer.concat([Buffer.from([4]), pad(pub.x), pad(pub.y)]);
  const ephemeral = createECDH('prime256v1');
  ephemeral.generateKeys();
  const kem = ephemeral.getPublicKey(
    undefined,
    params.ecPointFormat === 'COMPRESSED' ? 'compressed' : 'uncompressed'
  );
  const shared = ephemeral.computeSecret(recipient);
  const demKey = Buffer.from(
    hkdfSync(
      hashes[params.kemParams.hkdfHashType] ?? 'sha256',
      Buffer.concat([kem, shared]),
      Buffer.from(params.kemParams.hkdfSalt ?? []),
      context,
      dem.keySize
    )
  );
  return Buffer.concat([prefixOf(key), kem, aesGcmSeal(demKey, plaintext, Buffer.alloc(0))]);
}

/** A fresh single-key AES-256-GCM keyset in Tink's binary form (a CommonHealth DEK). */
export function newDek(): { keyset: Buffer; key: Buffer; keyId: number } {
  const key = randomBytes(32);
  const keyId = randomBytes(4).readUInt32BE(0) || 1;
  const Keyset = tinkType('Keyset');
  const value = tinkType('AesGcmKey')
    .encode(tinkType('AesGcmKey').fromObject({ version: 0, keyValue: key }))
    .finish();
  const keyset = Keyset.encode(
    Keyset.fromObject({
      primaryKeyId: keyId,
      key: [
        {
          keyData: { typeUrl: aesGcmTypeUrl, value, keyMaterialType: 'SYMMETRIC' },
          status: 'ENABLED',
          keyId,
          outputPrefixType: 'TINK'
        }
      ]
    })
  ).finish();
  return { keyset: Buffer.from(keyset), key, keyId };
}

/** Encrypts one record as CommonHealth does: a fresh DEK per record, hybrid-encrypted to the partner. */
export function sealCommonHealthRecord(
  partnerPublic: ITinkKeyset,
  clientRecordId: string,
  clientDatagroupId: string,
  plaintext: Buffer
): ICommonHealthRecord {
  const dek = newDek();
  const prefix = Buffer.alloc(5);
  prefix[0] = 1;
  prefix.writeUInt32BE(dek.keyId, 1);
  const content = Buffer.concat([
    prefix,
    aesGcmSeal(dek.key, plaintext, Buffer.from(clientRecordId, 'utf8'))
  ]);
  return {
    client_record_id: clientRecordId,
    client_datagroup_id: clientDatagroupId,
    encrypted_dek: hybridEncrypt(
      partnerPublic,
      dek.keyset,
      Buffer.from(clientRecordId + clientDatagroupId, 'utf8')
    ).toString('base64'),
    encrypted_content: content.toString('base64')
  };
}
