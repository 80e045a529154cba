// A job's archive as a Workflow Run RO-Crate: the bundle, spec, images, parameters and hashes — never data.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findEnvironment } from '../build/spec.js';
import { safeRelativePath, sha256, type IBundleFile } from '../bundle/index.js';
import type { ArchiveRecord, JobState } from '../schema/index.js';
import type { IArchive, RunRecord } from './index.js';

export const crateProfiles = {
  crate: 'https://w3id.org/ro/crate/1.1',
  process: 'https://w3id.org/ro/wfrun/process/0.5',
  workflow: 'https://w3id.org/ro/wfrun/workflow/0.5',
  workflowRoCrate: 'https://w3id.org/workflowhub/workflow-ro-crate/1.0'
};

const profileNames: [string, string, string][] = [
  [crateProfiles.process, 'Process Run Crate', '0.5'],
  [crateProfiles.workflow, 'Workflow Run Crate', '0.5'],
  [crateProfiles.workflowRoCrate, 'Workflow RO-Crate', '1.0']
];

/** What the store knows about the run's timing and end, beyond the archive. */
export interface IRunTimes {
  startTime?: string;
  endTime?: string;
  state?: JobState;
}

type Entity = Record<string, unknown> & { '@id': string };

const ref = (id: string) => ({ '@id': id });
/** There is no registry: images live on the service's Docker engine, found by id. */
const localRegistry = "none (the HBroker service's local Docker engine)";
/** ISO 8601 to the second, as the profiles' checks expect. */
const when = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');
const mediaTypes: Record<string, string> = {
  ipynb: 'application/x-ipynb+json',
  py: 'text/x-python',
  r: 'text/x-r',
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  yml: 'application/yaml',
  yaml: 'application/yaml',
  toml: 'application/toml',
  html: 'text/html',
  png: 'image/png',
  svg: 'image/svg+xml',
  pdf: 'application/pdf'
};
/** A media type by extension, when it is a well-known one. */
const encodingFormat = (path: string) => {
  const type = mediaTypes[path.split('.').pop()?.toLowerCase() ?? ''];
  return type ? { encodingFormat: type } : {};
};
/** repository:tag as the Workflow Run terms want it: name and tag apart (an id has no tag). */
const imageName = (image: string) => {
  const at = image.startsWith('sha256:') ? -1 : image.lastIndexOf(':');
  return at > 0 ? { name: image.slice(0, at), tag: image.slice(at + 1) } : { name: image };
};
const hex = (id: string) => id.replace(/^sha256:/, '');

/** The ro-crate-metadata.json of one job, built from its archive record and run record only. */
export function workflowRunCrate(
  record: ArchiveRecord,
  run: RunRecord | undefined,
  files: IBundleFile[],
  times: IRunTimes = {}
): { '@context': unknown[]; '@graph': Entity[] } {
  const job = record.job_id;
  const manifest = record.manifest;
  const spec = findEnvironment(files);
  const specPaths = new Set(spec.files.map(f => f.path));
  const fileId = (path: string) => `bundle/${path}`;
  const notebookId = fileId(manifest.notebook);
  const graph: Entity[] = [];
  const add = (...entities: Entity[]) => graph.push(...entities);

  add({
    '@id': 'ro-crate-metadata.json',
    '@type': 'CreativeWork',
    conformsTo: [ref(crateProfiles.crate), ref(crateProfiles.workflowRoCrate)],
    about: ref('./')
  });
  add(
    ...profileNames.map(([id, name, version]) => ({
      '@id': id,
      '@type': 'CreativeWork',
      name,
      version
    }))
  );

  // Parameters: what the researcher asked for (the manifest) and the resources the run had.
  const resources = manifest.resources ?? {};
  const parameters: [string, unknown][] = [
    ['notebook', manifest.notebook],
    ['study', manifest.study],
    ['outputs', (manifest.outputs ?? []).join(' ')],
    ...Object.entries(resources).map(([k, v]) => [`resources.${k}`, v] as [string, unknown]),
    ...(manifest.justification ? [['justification', manifest.justification]] : []),
    ...(manifest.resubmission_of ? [['resubmission_of', manifest.resubmission_of]] : [])
  ] as [string, unknown][];
  for (const [name, value] of parameters) {
    add(
      {
        '@id': `#param-${name}`,
        '@type': 'FormalParameter',
        additionalType: typeof value === 'number' ? 'Float' : 'Text',
        conformsTo: ref('https://bioschemas.org/profiles/FormalParameter/1.0-RELEASE'),
        name,
        valueRequired: name === 'notebook' || name === 'study'
      },
      {
        '@id': `#pv-${name}`,
        '@type': 'PropertyValue',
        exampleOfWork: ref(`#param-${name}`),
        name,
        value: String(value)
      }
    );
  }

  // The bundle: the notebook (the workflow), the spec files and the rest of the folder.
  const parts = files.map(f => {
    const entity: Entity = {
      '@id': fileId(f.path),
      '@type':
        f.path === manifest.notebook
          ? ['File', 'SoftwareSourceCode', 'ComputationalWorkflow']
          : 'File',
      name: f.path,
      contentSize: String(f.content.length),
      ...encodingFormat(f.path),
      sha256: sha256(f.content)
    };
    if (f.path === manifest.notebook) {
      Object.assign(entity, {
        programmingLanguage: ref('#jupyter-notebook'),
        input: parameters.map(([name]) => ref(`#param-${name}`)),
        output: (run?.outputs ?? []).map(o => ref(`#param-output-${o.path}`))
      });
    }
    if (specPaths.has(f.path)) {
      entity.description = 'repo2docker environment file: part of the environment spec';
    }
    return entity;
  });
  add(...parts, {
    '@id': '#jupyter-notebook',
    '@type': 'ComputerLanguage',
    name: 'Jupyter Notebook',
    url: ref('https://jupyter.org')
  });

  // Images: the base the environment was built on and the image the run used.
  const build = run?.build;
  if (build) {
    add({
      '@id': '#base-image',
      '@type': 'ContainerImage',
      additionalType: ref('https://w3id.org/ro/terms/workflow-run#DockerImage'),
      registry: localRegistry,
      ...(build.builder === 'base' ? imageName(build.tag) : { name: 'HBroker run base image' }),
      identifier: build.base_image,
      sha256: hex(build.base_image)
    });
  }
  if (run) {
    add({
      '@id': '#image',
      '@type': 'ContainerImage',
      additionalType: ref('https://w3id.org/ro/terms/workflow-run#DockerImage'),
      registry: localRegistry,
      ...imageName(build?.tag ?? run.image),
      identifier: run.image,
      sha256: hex(run.image),
      ...(build ? { isBasedOn: ref('#base-image') } : {})
    });
  }
  if (build) {
    add(
      {
        '@id': `#build-${job}`,
        '@type': 'CreateAction',
        name: `Environment ${build.outcome} by the ${build.builder} builder`,
        description:
          'The image the run used, made from the repo2docker files on the base image; builds have the network and never any data.',
        agent: ref(`#owner-${record.owner}`),
        endTime: when(build.at),
        instrument: ref('#hbroker'),
        object: [...spec.files.map(f => ref(fileId(f.path))), ref('#base-image')],
        result: ref('#image'),
        additionalProperty: [ref('#pv-spec_sha256'), ref('#pv-build_key')]
      },
      {
        '@id': '#pv-spec_sha256',
        '@type': 'PropertyValue',
        name: 'spec_sha256',
        value: build.spec_sha256
      },
      { '@id': '#pv-build_key', '@type': 'PropertyValue', name: 'build_key', value: build.key }
    );
  }

  // The dataset version the run read: its id and hash, never its content.
  const datasetId = `#dataset-${manifest.study}`;
  add({
    '@id': datasetId,
    '@type': 'Dataset',
    name: `Study ${manifest.study}`,
    identifier: manifest.study,
    description:
      'The study data the run read. Not included: HBroker never archives or exports data; the version is its hash.',
    ...(run ? { version: run.dataset.sha256, sha256: run.dataset.sha256 } : {}),
    ...(run ? { size: `${run.dataset.files} files` } : {})
  });

  // Outputs: path, size and hash; the files leave HBroker only through review, never in a crate.
  const outputs = (run?.outputs ?? []).map(o => ({
    '@id': `#output-${o.path}`,
    '@type': 'File',
    name: o.path,
    ...encodingFormat(o.path),
    contentSize: String(o.size),
    sha256: o.sha256,
    exampleOfWork: ref(`#param-output-${o.path}`),
    description: 'Not included: outputs leave HBroker only through vetting and review.'
  }));
  add(
    ...outputs,
    ...(run?.outputs ?? []).map(o => ({
      '@id': `#param-output-${o.path}`,
      '@type': 'FormalParameter',
      additionalType: 'File',
      conformsTo: ref('https://bioschemas.org/profiles/FormalParameter/1.0-RELEASE'),
      name: o.path
    }))
  );

  add({
    '@id': '#license',
    '@type': 'CreativeWork',
    name: 'All rights reserved by the owner',
    description:
      "The analysis code is the researcher's; HBroker grants no licence to it. Ask the owner or the data controller before reuse."
  });
  add({
    '@id': '#hbroker',
    '@type': 'SoftwareApplication',
    name: 'HBroker',
    version: record.service_version
  });
  add({
    '@id': `#owner-${record.owner}`,
    '@type': 'Person',
    name: record.owner
  });
  const status =
    times.state === 'released' || times.state === 'awaiting_review' || times.state === 'checking'
      ? 'http://schema.org/CompletedActionStatus'
      : times.state
        ? 'http://schema.org/FailedActionStatus'
        : undefined;
  add({
    '@id': `#run-${job}`,
    '@type': 'CreateAction',
    name: `HBroker run of ${manifest.notebook} (job ${job})`,
    instrument: ref(notebookId),
    agent: ref(`#owner-${record.owner}`),
    object: [ref(datasetId), ...parameters.map(([name]) => ref(`#pv-${name}`))],
    result: outputs.map(o => ref(o['@id'])),
    ...(run ? { containerImage: ref('#image') } : {}),
    description:
      'The notebook executed headlessly on the study data, with no network; outputs were vetted before any left.',
    ...(times.startTime ? { startTime: when(times.startTime) } : {}),
    ...(times.endTime ? { endTime: when(times.endTime) } : {}),
    ...(status ? { actionStatus: ref(status) } : {})
  });
  add({
    '@id': `#organize-${job}`,
    '@type': 'OrganizeAction',
    name: `HBroker job ${job}`,
    instrument: ref('#hbroker'),
    agent: ref(`#owner-${record.owner}`),
    startTime: when(record.created_at),
    result: ref(`#run-${job}`)
  });

  graph.splice(1, 0, {
    '@id': './',
    '@type': 'Dataset',
    name: `HBroker job ${job}: ${manifest.notebook} on study ${manifest.study}`,
    description:
      'The code and environment of a sensitive run and the hashes of what it read and produced. No data: HBroker never archives or exports study data or unreleased outputs.',
    datePublished: new Date().toISOString(),
    conformsTo: Object.values(crateProfiles).slice(1).map(ref),
    mainEntity: ref(notebookId),
    hasPart: parts.map(p => ref(p['@id'])),
    author: ref(`#owner-${record.owner}`),
    license: ref('#license'),
    mentions: build ? [ref(`#run-${job}`), ref(`#build-${job}`)] : ref(`#run-${job}`)
  });
  return {
    '@context': [
      'https://w3id.org/ro/crate/1.1/context',
      'https://w3id.org/ro/terms/workflow-run/context'
    ],
    '@graph': graph
  };
}

/** Writes the crate into `out`: the bundle's files under bundle/ and ro-crate-metadata.json. */
export function exportCrate(
  archive: IArchive,
  jobId: string,
  out: string,
  times: IRunTimes = {}
): string[] {
  const record = archive.record(jobId);
  const files = archive.files(jobId);
  const written: string[] = [];
  for (const f of files) {
    const checked = safeRelativePath(f.path);
    if ('refused' in checked) {
      continue;
    }
    const target = join(out, 'bundle', checked.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content, { mode: 0o644 });
    written.push(join('bundle', checked.path));
  }
  const crate = workflowRunCrate(record, archive.run(jobId), files, times);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'ro-crate-metadata.json'), JSON.stringify(crate, null, 2) + '\n');
  written.push('ro-crate-metadata.json');
  return written;
}
