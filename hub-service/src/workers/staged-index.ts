// A staged study's disclosure index as bytes: moved between threads without the service parsing it.
import type { IDisclosureIndex } from '../vetting/index.js';

export const encodeIndex = (index: IDisclosureIndex): ArrayBuffer =>
  // TextEncoder gives a buffer of its own (not a slice of a shared pool), so it can be transferred.
  new TextEncoder().encode(JSON.stringify(index)).buffer as ArrayBuffer;

export const decodeIndex = (bytes: ArrayBuffer): IDisclosureIndex =>
  JSON.parse(new TextDecoder().decode(bytes)) as IDisclosureIndex;
