// Tink-compatible decryption for CommonHealth records, without a Tink for JavaScript (see DESIGN.md).
export { aeadDecrypt } from './aead.js';
export { openCommonHealthRecord, type ICommonHealthRecord } from './commonhealth.js';
export { generatePartnerKeysets } from './generate.js';
export { hybridDecrypt } from './hybrid.js';
export { keysetToJson, parseKeyset, TinkError, type ITinkKeyset } from './keyset.js';
export { hybridEncrypt, newDek, sealCommonHealthRecord } from './seal.js';
