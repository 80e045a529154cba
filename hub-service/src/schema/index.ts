// The JSON Schemas in schema/ as runtime validators, and the types generated from them.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { badRequest } from '../errors.js';

export type * from '../generated/schema.js';

/** The repo's schema/ folder (beside hub-service/, shipped with the package). */
export const schemaDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schema');

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function buildAjv(useDefaults: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults, strict: false });
  addFormats(ajv);
  for (const file of readdirSync(schemaDir).filter(f => f.endsWith('.schema.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, file), 'utf8')));
  }
  return ajv;
}

const plain = buildAjv(false);
const withDefaults = buildAjv(true);

/** Turns ajv's errors into sentences naming the field, e.g. "manifest.study: is required". */
export function describeErrors(errors: ErrorObject[] | null | undefined, root: string): string[] {
  return (errors ?? []).map(e => {
    const at = root + e.instancePath.replace(/^\//, '.').replace(/\//g, '.');
    if (e.keyword === 'additionalProperties') {
      return `${at}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    }
    if (e.keyword === 'required') {
      return `${at}: missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
    }
    if (e.keyword === 'enum') {
      return `${at}: ${e.message}: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    }
    return `${at}: ${e.message}`;
  });
}

/**
 * Checks a value against one schema file and returns it typed, or throws a 400 that lists
 * every problem. With `defaults`, missing fields are filled from the schema's defaults.
 */
export function validate<T>(
  schemaFile: string,
  value: unknown,
  what: string,
  options: { defaults?: boolean } = {}
): T {
  const ajv = options.defaults ? withDefaults : plain;
  const check = ajv.getSchema(schemaFile) as ValidateFunction | undefined;
  if (!check) {
    throw new Error(`schema ${schemaFile} is not in schema/`);
  }
  if (!check(value)) {
    const details = describeErrors(check.errors, what);
    throw badRequest(
      'invalid_input',
      `The ${what} does not match ${schemaFile}: ${details.join('; ')}. Fix these fields and send it again.`,
      details
    );
  }
  return value as T;
}
