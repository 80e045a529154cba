// Ciphertexts and keysets made now by Python tink, decrypted by the TypeScript code; and the reverse.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixedLength } from './hybrid.js';
import {
  aeadDecrypt,
  generatePartnerKeysets,
  hybridDecrypt,
  openCommonHealthRecord,
  parseKeyset,
  sealCommonHealthRecord
} from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const python = join(here, '..', '..', '..', '..', '.venv', 'bin', 'python');
const script = join(here, 'make_test_vectors.py');
const vectors = JSON.parse(
  execFileSync(python, [script], { maxBuffer: 16 * 1024 * 1024 }).toString()
);
const b = (s: string) => Buffer.from(s, 'base64');

const flip = (ciphertext: Buffer, at: number) => {
  const copy = Buffer.from(ciphertext);
  copy[at] ^= 0x01;
  return copy;
};

describe('Tink hybrid decryption (ECIES P-256, HKDF-SHA256, AES-128-GCM)', () => {
  for (const v of vectors.hybrid) {
    describe(`${v.prefix} prefix, ${v.point_format} points`, () => {
      const fromJson = parseKeyset(v.private_json);
      const fromBinary = parseKeyset(b(v.private_binary));

      it('decrypts what Python tink encrypted, with JSON and binary keysets', () => {
        for (const c of v.ciphertexts) {
          assert.deepEqual(hybridDecrypt(fromJson, b(c.ciphertext), b(c.context)), b(c.plaintext));
          assert.deepEqual(
            hybridDecrypt(fromBinary, b(c.ciphertext), b(c.context)),
            b(c.plaintext)
          );
        }
      });

      it('refuses tampered bytes, a wrong context and a wrong key', () => {
        const c = v.ciphertexts[0];
        const ct = b(c.ciphertext);
        for (const at of [ct.length - 1, ct.length - 20, v.prefix === 'RAW' ? 3 : 8]) {
          assert.throws(
            () => hybridDecrypt(fromJson, flip(ct, at), b(c.context)),
            /decryption failed/
          );
        }
        assert.throws(
          () => hybridDecrypt(fromJson, ct, Buffer.from('another context')),
          /decryption failed/
        );
        const other = vectors.hybrid.find((o: any) => o !== v && o.point_format === v.point_format);
        assert.throws(
          () => hybridDecrypt(parseKeyset(other.private_json), ct, b(c.context)),
          /decryption failed/
        );
      });

      it('opens CommonHealth envelopes and names a record it cannot open', () => {
        const { record, plaintext } = v.envelopes[0];
        assert.deepEqual(openCommonHealthRecord(fromJson, record), b(plaintext));
        const tampered = {
          ...record,
          encrypted_content: flip(b(record.encrypted_content), 20).toString('base64')
        };
        assert.throws(
          () => openCommonHealthRecord(fromJson, tampered),
          /record rec-17 could not be decrypted/
        );
        const moved = { ...record, client_datagroup_id: 'dg-4' };
        assert.throws(
          () => openCommonHealthRecord(fromJson, moved),
          /record rec-17 could not be decrypted/
        );
      });
    });
  }
});

describe('key coordinates', () => {
  it('accepts 32- and 33-byte big-endian integers and refuses longer ones', () => {
    const x = Buffer.alloc(32, 0xab);
    assert.deepEqual(fixedLength(Buffer.concat([Buffer.from([0]), x])), x);
    assert.deepEqual(fixedLength(x), x);
    assert.deepEqual(
      fixedLength(Buffer.from([1, 2])),
      Buffer.concat([Buffer.alloc(30), Buffer.from([1, 2])])
    );
    assert.throws(() => fixedLength(Buffer.alloc(33, 0xff)), /33 bytes, more than 32/);
  });
});

describe('Tink AEAD (AES-256-GCM)', () => {
  for (const v of vectors.aead) {
    it(`decrypts ${v.prefix}-prefixed ciphertexts and refuses a wrong associated data`, () => {
      for (const keyset of [parseKeyset(b(v.keyset_binary)), parseKeyset(v.keyset_json)]) {
        assert.deepEqual(
          aeadDecrypt(keyset, b(v.ciphertext), b(v.associated_data)),
          b(v.plaintext)
        );
        assert.throws(
          () => aeadDecrypt(keyset, b(v.ciphertext), Buffer.from('rec-43')),
          /decryption failed/
        );
      }
    });
  }
});

describe('hbroker partner keysets', () => {
  it('are Tink keysets: Python tink encrypts to the public one and decrypts with the private one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbroker-keys-'));
    try {
      const { privateKeyset, publicKeyset } = generatePartnerKeysets();
      writeFileSync(join(dir, 'public.json'), publicKeyset);
      writeFileSync(join(dir, 'private.json'), privateKeyset);
      const made = JSON.parse(
        execFileSync(python, [script, '--public', join(dir, 'public.json')]).toString()
      );
      const partner = parseKeyset(privateKeyset);
      assert.equal(
        hybridDecrypt(partner, b(made.ciphertext), Buffer.from('ctx')).toString(),
        'for the partner'
      );
      assert.equal(
        openCommonHealthRecord(partner, made.envelope).toString(),
        '{"body": {"step_count": 4200}}'
      );
      const back = JSON.parse(
        execFileSync(python, [script, '--decrypt-with', join(dir, 'private.json')], {
          input: JSON.stringify({
            ciphertext: made.ciphertext,
            context: Buffer.from('ctx').toString('base64')
          })
        }).toString()
      );
      assert.equal(b(back.plaintext).toString(), 'for the partner');
      // And the sender's side: what our dev exchange seals, Python tink opens.
      const sealed = sealCommonHealthRecord(
        parseKeyset(publicKeyset),
        'rec-9',
        'dg-9',
        Buffer.from('{"body": {"heart_rate": 61}}')
      );
      const opened = JSON.parse(
        execFileSync(python, [script, '--open-envelope-with', join(dir, 'private.json')], {
          input: JSON.stringify(sealed)
        }).toString()
      );
      assert.equal(b(opened.plaintext).toString(), '{"body": {"heart_rate": 61}}');
      assert.equal(
        openCommonHealthRecord(partner, sealed).toString(),
        '{"body": {"heart_rate": 61}}'
      );
      assert.throws(
        () => openCommonHealthRecord(partner, { ...sealed, client_record_id: 'rec-10' }),
        /record rec-10 could not be decrypted/
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
