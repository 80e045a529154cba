// Makes a partner keyset pair in Tink JSON: ECIES P-256, HKDF-SHA256, AES-128-GCM, TINK prefix.
import { createECDH, randomBytes } from 'node:crypto';
import { aesGcmTypeUrl } from './aead.js';
import { eciesPrivateTypeUrl, eciesPublicTypeUrl } from './hybrid.js';
import { keysetToJson, tinkType, type ITinkKeyset } from './keyset.js';

const encode = (type: string, value: object) =>
  Buffer.from(tinkType(type).encode(tinkType(type).fromObject(value)).finish());

export function generatePartnerKeysets(): { privateKeyset: string; publicKeyset: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const point = ecdh.getPublicKey();
  const publicKey = {
    version: 0,
    params: {
      kemParams: { curveType: 'NIST_P256', hkdfHashType: 'SHA256', hkdfSalt: Buffer.alloc(0) },
      demParams: {
        aeadDem: {
          typeUrl: aesGcmTypeUrl,
          value: encode('AesGcmKeyFormat', { keySize: 16 }),
          outputPrefixType: 'TINK'
        }
      },
      ecPointFormat: 'UNCOMPRESSED'
    },
    x: point.subarray(1, 33),
    y: point.subarray(33, 65)
  };
  const keyId = randomBytes(4).readUInt32BE(0) || 1;
  const keyset = (typeUrl: string, value: Buffer, material: string): ITinkKeyset => ({
    primaryKeyId: keyId,
    keys: [{ keyId, status: 'ENABLED', prefix: 'TINK', typeUrl, value, material }]
  });
  return {
    privateKeyset: keysetToJson(
      keyset(
        eciesPrivateTypeUrl,
        encode('EciesAeadHkdfPrivateKey', {
          version: 0,
          publicKey,
          keyValue: ecdh.getPrivateKey()
        }),
        'ASYMMETRIC_PRIVATE'
      )
    ),
    publicKeyset: keysetToJson(
      keyset(eciesPublicTypeUrl, encode('EciesAeadHkdfPublicKey', publicKey), 'ASYMMETRIC_PUBLIC')
    )
  };
}
