"""Benchmark helper: makes N CommonHealth envelopes for one partner key with Python tink, times Python
tink opening them, and prints the key, the envelopes and that rate as JSON for bench/decrypt.ts."""

import base64
import json
import sys
import time

import tink
from tink import aead, hybrid, secret_key_access

aead.register()
hybrid.register()

n = int(sys.argv[1])
partner = tink.new_keyset_handle(hybrid.hybrid_key_templates.ECIES_P256_HKDF_HMAC_SHA256_AES128_GCM)
enc = partner.public_keyset_handle().primitive(hybrid.HybridEncrypt)
records = []
for i in range(n):
    rid, dg = f"rec-{i}", "dg-1"
    dek = tink.new_keyset_handle(aead.aead_key_templates.AES256_GCM)
    payload = json.dumps({"body": {"heart_rate": {"value": 60 + i % 40, "unit": "beats/min"}}}).encode()
    records.append(
        {
            "client_record_id": rid,
            "client_datagroup_id": dg,
            "encrypted_dek": base64.b64encode(
                enc.encrypt(tink.proto_keyset_format.serialize(dek, secret_key_access.TOKEN), (rid + dg).encode())
            ).decode(),
            "encrypted_content": base64.b64encode(dek.primitive(aead.Aead).encrypt(payload, rid.encode())).decode(),
        }
    )

dec = partner.primitive(hybrid.HybridDecrypt)
start = time.perf_counter()
for r in records:
    rid = r["client_record_id"]
    dek_bytes = dec.decrypt(base64.b64decode(r["encrypted_dek"]), (rid + r["client_datagroup_id"]).encode())
    dek = tink.proto_keyset_format.parse(dek_bytes, secret_key_access.TOKEN)
    dek.primitive(aead.Aead).decrypt(base64.b64decode(r["encrypted_content"]), rid.encode())
seconds = time.perf_counter() - start
print(json.dumps({
    "partner": tink.json_proto_keyset_format.serialize(partner, secret_key_access.TOKEN),
    "records": records,
    "python_per_second": n / seconds,
}))
