// The default Builder: a Dockerfile generated from the spec on the admin's base image, cached by key.
import type Docker from 'dockerode';
import { canonicalJson } from '../audit/index.js';
import { sha256 } from '../bundle/index.js';
import { HBrokerError } from '../errors.js';
import type { BuildRecord } from '../schema/index.js';
import { dockerBuild, type IDockerBuildResult } from './docker-build.js';
import { generateDockerfile, recipeVersion } from './dockerfile.js';
import type { IBuilder, IBuildRequest, IBuiltImage } from './index.js';
import type { BuildRecords } from './records.js';
import { checkEnvironment, type IBuildRules } from './rules.js';
import { findEnvironment, type IEnvironment } from './spec.js';

export const envRepository = 'hbroker-env';

/** At most `max` lines reach the job's events; a build log that long is noise beyond that. */
export function cappedLog(onLog: (line: string) => void, max = 3000): (line: string) => void {
  let lines = 0;
  return line => {
    lines++;
    if (lines <= max) {
      onLog(line);
    } else if (lines === max + 1) {
      onLog(`… the build log goes on; only its first ${max} lines are kept`);
    }
  };
}

/** The base image's content id, or an error an admin can act on. */
export async function baseImageId(docker: Docker, image: string): Promise<string> {
  try {
    return (await docker.getImage(image).inspect()).Id;
  } catch {
    throw new HBrokerError(
      'base_image_missing',
      `The run base image ${image} is not on this Docker engine. An admin should run the set-up (npm start) or 'hbroker doctor'.`,
      500
    );
  }
}

/** The cache key: the spec's hash, the base's content id and the recipe, so any change is a new image. */
export const buildKey = (env: IEnvironment, baseId: string, builder: string) =>
  sha256(canonicalJson({ builder, recipe: recipeVersion, base: baseId, spec: env.sha256 }));

export class DockerfileBuilder implements IBuilder {
  /** Builds under way by key: two jobs with one spec wait for one build. */
  private inflight = new Map<string, Promise<IDockerBuildResult>>();

  constructor(
    private docker: Docker,
    private baseImage: string,
    private rules: IBuildRules,
    readonly records: BuildRecords
  ) {}

  async build(asked: IBuildRequest): Promise<IBuiltImage> {
    const started = Date.now();
    const request = { ...asked, onLog: cappedLog(asked.onLog) };
    const env = findEnvironment(request.files);
    const base = await baseImageId(this.docker, request.base ?? this.baseImage);
    const common = {
      job_id: request.jobId,
      spec_sha256: env.sha256,
      spec_files: env.files.map(f => f.path),
      base_image: base
    };
    if (env.files.length === 0) {
      return this.done(started, {
        ...common,
        builder: 'base',
        key: buildKey(env, base, 'base'),
        image: base,
        tag: request.base ?? this.baseImage,
        outcome: 'reused'
      });
    }
    checkEnvironment(env, this.rules);
    const key = buildKey(env, base, 'dockerfile');
    // The whole key is the tag, so an image is found by its key without a label (which costs a step).
    const tag = `${envRepository}:${key}`;
    const existing = await this.docker
      .getImage(tag)
      .inspect()
      .catch(() => undefined);
    if (existing) {
      request.onLog(`environment unchanged (spec ${env.sha256.slice(0, 12)}): reusing ${tag}`);
      return this.done(started, {
        ...common,
        builder: 'dockerfile',
        key,
        image: existing.Id,
        tag,
        outcome: 'reused'
      });
    }
    let running = this.inflight.get(key);
    const mine = !running;
    if (!running) {
      const { context } = generateDockerfile(env, base, this.rules);
      running = dockerBuild(this.docker, context, tag, request.onLog, this.rules.timeout_seconds);
      this.inflight.set(key, running);
      void running.catch(() => undefined).finally(() => this.inflight.delete(key));
    } else {
      request.onLog(`another job is building this environment; waiting for ${tag}`);
    }
    const result = await running;
    return this.done(started, {
      ...common,
      builder: 'dockerfile',
      key,
      image: result.imageId,
      tag,
      outcome: mine ? 'built' : 'reused',
      ...(mine ? { steps: result.steps } : {})
    });
  }

  private done(started: number, record: Omit<BuildRecord, 'at' | 'seconds'>): IBuiltImage {
    const full: BuildRecord = {
      ...record,
      at: new Date().toISOString(),
      seconds: (Date.now() - started) / 1000
    };
    this.records.append(full);
    return { image: record.image, imageId: record.image, build: full };
  }
}
