// One `docker build` through the engine API (the classic builder): log lines streamed, steps recorded.
import type Docker from 'dockerode';
import { Readable } from 'node:stream';
import { packBundle, type IBundleFile } from '../bundle/index.js';
import { HBrokerError } from '../errors.js';
import type { BuildRecord } from '../schema/index.js';

export type BuildStep = NonNullable<BuildRecord['steps']>[number];

export interface IDockerBuildResult {
  imageId: string;
  steps: BuildStep[];
}

interface IBuildMessage {
  stream?: string;
  error?: string;
  aux?: { ID?: string };
}

const maxLine = 2000;
// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * Builds `context` (which holds a Dockerfile) into `tag` on the engine's default build network.
 * Each log line goes to `onLog`; a failed step throws a build_failed error naming the step.
 */
export async function dockerBuild(
  docker: Docker,
  context: IBundleFile[],
  tag: string,
  onLog: (line: string) => void,
  timeoutSeconds = 1800
): Promise<IDockerBuildResult> {
  const tarball = await packBundle(context);
  const steps: BuildStep[] = [];
  let imageId: string | undefined;
  let failure: string | undefined;
  let partial = '';
  const onLine = (raw: string) => {
    const line = raw.replace(ansi, '').replace(/\s+$/, '');
    if (!line) {
      return;
    }
    onLog(line.slice(0, maxLine));
    const step = /^Step \d+\/\d+ : (.*)$/.exec(line);
    if (step) {
      steps.push({ instruction: step[1].slice(0, maxLine), cached: false });
      return;
    }
    const current = steps[steps.length - 1];
    if (current && line.trim() === '---> Using cache') {
      current.cached = true;
    }
    const layer = /^\s*---> ([0-9a-f]{12})$/.exec(line);
    if (current && layer) {
      current.layer = layer[1];
    }
  };
  const stream = await docker.buildImage(Readable.from([tarball]) as NodeJS.ReadableStream, {
    t: tag,
    rm: true,
    forcerm: true
  });
  let timedOut = false;
  // Closing the connection makes the engine stop the build and remove its container.
  const timer = setTimeout(() => {
    timedOut = true;
    (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }, timeoutSeconds * 1000);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      err => (err && !timedOut ? reject(err) : resolve()),
      (message: IBuildMessage) => {
        if (message.stream) {
          const text = partial + message.stream;
          const lines = text.split('\n');
          partial = lines.pop() ?? '';
          lines.forEach(onLine);
        }
        if (message.aux?.ID) {
          imageId = message.aux.ID;
        }
        if (message.error) {
          failure = message.error.replace(ansi, '').trim();
          onLog(failure.slice(0, maxLine));
        }
      }
    );
  });
  clearTimeout(timer);
  onLine(partial);
  if (timedOut) {
    throw new HBrokerError(
      'build_failed',
      `The environment's build took longer than its ${timeoutSeconds} s limit and was stopped${steps.length ? ` at step ${steps.length} (${steps[steps.length - 1].instruction.slice(0, 120)})` : ''}. Make the environment smaller (fewer packages, no long postBuild), or ask an admin to raise build.timeout_seconds.`,
      400
    );
  }
  if (!failure && !imageId) {
    imageId = (
      await docker
        .getImage(tag)
        .inspect()
        .catch(() => undefined)
    )?.Id;
  }
  if (failure || !imageId) {
    const step = steps[steps.length - 1];
    throw new HBrokerError(
      'build_failed',
      `The environment did not build: ${step ? `step ${steps.length} (${step.instruction.slice(0, 120)}) failed` : 'the build failed'}: ${(failure ?? 'no image was produced').slice(0, 300)}. The job's events hold the whole build log; fix the environment files and submit again.`,
      400
    );
  }
  return { imageId, steps };
}
