"""Makes Tink keysets and ciphertexts with Python tink, for the TypeScript decryption's tests.

Prints one JSON document: for each output prefix and point format, a private keyset (JSON and binary),
hybrid ciphertexts with their context, and CommonHealth envelopes; plus AES-256-GCM AEAD cases.
With `--public <file>`, it also encrypts to a public keyset made elsewhere (by `hbroker keys generate`)."""

import base64
import json
import sys

import tink
from tink import aead, hybrid, secret_key_access
from tink.proto import tink_pb2

aead.register()
hybrid.register()

b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
PREFIXES = {"TINK": tink_pb2.TINK, "LEGACY": tink_pb2.LEGACY, "RAW": tink_pb2.RAW}
TEMPLATES = {
    "uncompressed": hybrid.hybrid_key_templates.ECIES_P256_HKDF_HMAC_SHA256_AES128_GCM,
    "compressed": hybrid.hybrid_key_templates.ECIES_P256_COMPRESSED_HKDF_HMAC_SHA256_AES128_GCM,
}


def with_prefix(template, prefix):
    t = tink_pb2.KeyTemplate()
    t.CopyFrom(template)
    t.output_prefix_type = PREFIXES[prefix]
    return t


def commonhealth_envelope(public, record_id, datagroup_id, payload):
    """As a CommonHealth app seals a record: a fresh AES-256-GCM keyset (the DEK), hybrid-encrypted to the partner."""
    dek = tink.new_keyset_handle(aead.aead_key_templates.AES256_GCM)
    content = dek.primitive(aead.Aead).encrypt(payload, record_id.encode())
    dek_bytes = tink.proto_keyset_format.serialize(dek, secret_key_access.TOKEN)
    encrypted_dek = public.primitive(hybrid.HybridEncrypt).encrypt(dek_bytes, (record_id + datagroup_id).encode())
    return {
        "client_record_id": record_id,
        "client_datagroup_id": datagroup_id,
        "encrypted_dek": b64(encrypted_dek),
        "encrypted_content": b64(content),
    }


def hybrid_case(prefix, point_format):
    private = tink.new_keyset_handle(with_prefix(TEMPLATES[point_format], prefix))
    public = private.public_keyset_handle()
    enc = public.primitive(hybrid.HybridEncrypt)
    messages = [(b"hello, sandbox", b"context-1"), (b"", b""), (json.dumps({"heart_rate": 61}).encode(), b"rec-9group-2")]
    payload = json.dumps({"header": {"schema_id": {"name": "heart-rate"}}, "body": {"heart_rate": {"value": 61, "unit": "beats/min"}}})
    return {
        "prefix": prefix,
        "point_format": point_format,
        "private_json": tink.json_proto_keyset_format.serialize(private, secret_key_access.TOKEN),
        "private_binary": b64(tink.proto_keyset_format.serialize(private, secret_key_access.TOKEN)),
        "public_json": tink.json_proto_keyset_format.serialize_without_secret(public),
        "ciphertexts": [{"plaintext": b64(m), "context": b64(c), "ciphertext": b64(enc.encrypt(m, c))} for m, c in messages],
        "envelopes": [{"plaintext": b64(payload.encode()), "record": commonhealth_envelope(public, "rec-17", "dg-3", payload.encode())}],
    }


def aead_case(prefix):
    handle = tink.new_keyset_handle(with_prefix(aead.aead_key_templates.AES256_GCM, prefix))
    primitive = handle.primitive(aead.Aead)
    return {
        "prefix": prefix,
        "keyset_binary": b64(tink.proto_keyset_format.serialize(handle, secret_key_access.TOKEN)),
        "keyset_json": tink.json_proto_keyset_format.serialize(handle, secret_key_access.TOKEN),
        "plaintext": b64(b"observation payload"),
        "associated_data": b64(b"rec-42"),
        "ciphertext": b64(primitive.encrypt(b"observation payload", b"rec-42")),
    }


def to_public(path):
    """Encrypts to a public keyset written by hbroker (proves our keysets are Tink keysets)."""
    with open(path) as f:
        public = tink.json_proto_keyset_format.parse_without_secret(f.read())
    return {
        "ciphertext": b64(public.primitive(hybrid.HybridEncrypt).encrypt(b"for the partner", b"ctx")),
        "envelope": commonhealth_envelope(public, "rec-1", "dg-1", b'{"body": {"step_count": 4200}}'),
    }


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--public":
        print(json.dumps(to_public(sys.argv[2])))
    elif len(sys.argv) == 3 and sys.argv[1] == "--decrypt-with":
        # Decrypts stdin's JSON {ciphertext, context} with a private keyset written by hbroker.
        with open(sys.argv[2]) as f:
            private = tink.json_proto_keyset_format.parse(f.read(), secret_key_access.TOKEN)
        case = json.load(sys.stdin)
        plain = private.primitive(hybrid.HybridDecrypt).decrypt(base64.b64decode(case["ciphertext"]), base64.b64decode(case["context"]))
        print(json.dumps({"plaintext": b64(plain)}))
    elif len(sys.argv) == 3 and sys.argv[1] == "--open-envelope-with":
        # Opens stdin's CommonHealth envelope (sealed by hbroker's TypeScript) with a private keyset.
        with open(sys.argv[2]) as f:
            private = tink.json_proto_keyset_format.parse(f.read(), secret_key_access.TOKEN)
        env = json.load(sys.stdin)
        context = (env["client_record_id"] + env["client_datagroup_id"]).encode()
        dek_bytes = private.primitive(hybrid.HybridDecrypt).decrypt(base64.b64decode(env["encrypted_dek"]), context)
        dek = tink.proto_keyset_format.parse(dek_bytes, secret_key_access.TOKEN)
        plain = dek.primitive(aead.Aead).decrypt(base64.b64decode(env["encrypted_content"]), env["client_record_id"].encode())
        print(json.dumps({"plaintext": b64(plain)}))
    else:
        print(
            json.dumps(
                {
                    "hybrid": [hybrid_case(p, f) for p in PREFIXES for f in TEMPLATES],
                    "aead": [aead_case(p) for p in PREFIXES],
                }
            )
        )
