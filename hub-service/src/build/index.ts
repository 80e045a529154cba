// The build stage: which image a job runs in, made from the job's repo2docker files. Builds see no data.
import type { IBundleFile } from '../bundle/index.js';
import { badRequest } from '../errors.js';
import type { BuildRecord, EnvironmentSpec } from '../schema/index.js';
import { checkEnvironment, type IBuildRules } from './rules.js';
import { findEnvironment, specFileNames, type SpecFileName } from './spec.js';

export interface IBuiltImage {
  /** What the run starts from (the image's content id). */
  image: string;
  /** The content id (sha256:…) recorded in the archive. */
  imageId: string;
  /** What the builder decided, for the archive. */
  build: BuildRecord;
}

export interface IBuildRequest {
  jobId: string;
  /** The archived bundle; the builder takes only the spec files from it. */
  files: IBundleFile[];
  /** One line of build log at a time, streamed to the researcher. */
  onLog(line: string): void;
  /** The base image to build on (a reproduction asks for the archived one); default the configured one. */
  base?: string;
}

export interface IBuilder {
  build(request: IBuildRequest): Promise<IBuiltImage>;
}

/**
 * The submit-time check: derives the spec from the bundle by repo2docker's rules, refuses what the
 * configured builder cannot honour, and returns the environment to record in the manifest.
 */
export function captureEnvironment(
  files: IBundleFile[],
  asked: EnvironmentSpec | undefined,
  rules: IBuildRules
): EnvironmentSpec | undefined {
  const env = findEnvironment(files);
  const paths = env.files.map(f => f.path);
  for (const listed of asked?.files ?? []) {
    if (!paths.includes(listed)) {
      throw badRequest('ignored_environment_file', whyIgnored(listed, env.dir));
    }
  }
  checkEnvironment(env, rules);
  if (!asked && paths.length === 0) {
    return undefined;
  }
  return { ...asked, files: paths };
}

function whyIgnored(path: string, dir: string): string {
  const name = path.split('/').pop() as SpecFileName;
  if (!specFileNames.includes(name)) {
    return `The environment lists ${path}, which is not a repo2docker file (${specFileNames.join(', ')}). Leave it out of the environment.`;
  }
  if (dir && !path.startsWith(`${dir}/`)) {
    return `The environment lists ${path}, which repo2docker ignores because the ${dir}/ folder wins over the root. Move it into ${dir}/ or leave it out.`;
  }
  return `The environment lists ${path}, which repo2docker ignores because a Dockerfile overrides every other file. Remove the Dockerfile or leave ${path} out.`;
}

export { BuildRecords, buildRecordsFile } from './records.js';
export { DockerfileBuilder, baseImageId } from './dockerfile-builder.js';
export { Repo2DockerBuilder, repo2dockerAvailable } from './repo2docker.js';
export { findEnvironment, type IEnvironment } from './spec.js';
export type { IBuildRules, BuilderKind } from './rules.js';
export { builderCheck, builderFor } from './choose.js';
