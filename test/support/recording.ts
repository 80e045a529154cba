// The recorded JupyterHealth Exchange (test/jhe-contract/, see its README): its exchanges, and which
// schema in schema/ each kind of answer must satisfy (the same rule for recorded and for our answers).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './service.js';

export const recordingDir = join(repoRoot, 'test', 'jhe-contract');

export interface IRecordedExchange {
  file: string;
  name: string;
  why: string;
  request: {
    method: string;
    path: string;
    query: Record<string, string>;
    target: string;
    headers: Record<string, string>;
  };
  response: { status: number; headers: Record<string, string>; body: unknown };
  notes?: Record<string, unknown>;
}

export function recordedExchanges(prefix = ''): IRecordedExchange[] {
  return readdirSync(recordingDir)
    .filter(f => /^(oauth|rest|fhir)-.*\.json$/.test(f) && f.startsWith(prefix))
    .sort()
    .map(file => ({
      file,
      ...(JSON.parse(readFileSync(join(recordingDir, file), 'utf8')) as Omit<
        IRecordedExchange,
        'file'
      >)
    }));
}

export const recorded = (file: string) => recordedExchanges().find(e => e.file === file)!;

/** Whether the recorded body is whole (not trimmed to its first and last items). */
export const untrimmed = (e: IRecordedExchange) => !(e.notes && 'trimmed' in e.notes);

/** A schema to check a JSON body against, with `items` naming the schema of list entries. */
export interface IBodySchema {
  schema: string;
  items?: string;
  array?: boolean;
}

const fhirResourceSchema: Record<string, string> = {
  Observation: 'jhe-observation.schema.json',
  QuestionnaireResponse: 'jhe-questionnaire-response.schema.json'
};

/** The schema a REST or FHIR answer to `path` with `status` must satisfy; undefined for HTML pages. */
export function schemaFor(path: string, status: number, body: unknown): IBodySchema | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  if (path.startsWith('/FHIR/R5/')) {
    if (path.endsWith('/.well-known/smart-configuration') && status === 200) {
      return { schema: 'jhe-smart-configuration.schema.json' };
    }
    if (status >= 400) {
      return { schema: 'jhe-operation-outcome.schema.json' };
    }
    const type = (body as { resourceType?: string }).resourceType;
    if (type === 'Bundle') {
      const first = (body as { entry: { resource: { resourceType: string } }[] }).entry[0];
      return {
        schema: 'fhir-bundle.schema.json',
        items: first && fhirResourceSchema[first.resource.resourceType]
      };
    }
    if (type === 'CapabilityStatement') {
      return { schema: 'jhe-capability-statement.schema.json' };
    }
    return type ? { schema: fhirResourceSchema[type] } : undefined;
  }
  if (status >= 400) {
    return { schema: 'jhe-error.schema.json' };
  }
  const parts = path.split('/').slice(3); // after /api/v1/
  const [resource, key, sub] = parts;
  const item: Record<string, string> = {
    organizations: 'jhe-organization.schema.json',
    studies: 'jhe-study.schema.json',
    patients: 'jhe-patient.schema.json',
    data_sources: 'jhe-data-source.schema.json',
    observations: 'jhe-rest-observation.schema.json'
  };
  if (resource === 'users') {
    return { schema: 'jhe-user.schema.json' };
  }
  if (key === undefined) {
    return { schema: 'jhe-page.schema.json', items: item[resource] };
  }
  if (key === 'global_lookup') {
    return { schema: 'jhe-patient.schema.json', array: true };
  }
  if (sub === 'patients') {
    return { schema: 'jhe-page.schema.json', items: item.patients };
  }
  if (sub === 'scope_requests') {
    return { schema: 'jhe-scope-request.schema.json', array: true };
  }
  if (sub === 'consents') {
    return { schema: 'jhe-patient-consents.schema.json' };
  }
  return { schema: item[resource] };
}
