// Generates the TypeScript types of every JSON Schema in schema/ into one file per consumer.
import { compile } from 'json-schema-to-typescript';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, 'schema');
// The service and the lab extension read the same types (the extension's copy stays inside its package).
const targets = [
  join(root, 'hub-service', 'src', 'generated', 'schema.ts'),
  join(root, 'labextension', 'src', 'generated', 'schema.ts')
];

const files = readdirSync(schemaDir)
  .filter(f => f.endsWith('.schema.json'))
  .sort();
const definitions = {};
for (const file of files) {
  const schema = JSON.parse(readFileSync(join(schemaDir, file), 'utf8'));
  definitions[schema.title] = { $ref: file };
}
// One root that references every file, so each shape is declared exactly once.
const rootSchema = {
  title: 'HBrokerSchemas',
  type: 'object',
  definitions,
  additionalProperties: false
};
const ts = await compile(rootSchema, 'HBrokerSchemas', {
  cwd: schemaDir,
  unreachableDefinitions: true,
  additionalProperties: false,
  bannerComment: '/* Generated from schema/ by scripts/gen-types.mjs. Do not edit. */',
  style: { singleQuote: true, trailingComma: 'none', printWidth: 100 }
});
for (const target of targets) {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, ts);
}
console.log(`gen: types for ${files.length} schemas`);
