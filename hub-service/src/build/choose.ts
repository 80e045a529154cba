// The one place a Builder is chosen from config (build.kind); repo2docker must answer before it is used.
import type Docker from 'dockerode';
import type { Config } from '../config/index.js';
import { HBrokerError } from '../errors.js';
import { DockerfileBuilder } from './dockerfile-builder.js';
import type { IBuilder } from './index.js';
import { BuildRecords, buildRecordsFile } from './records.js';
import { Repo2DockerBuilder, repo2dockerAvailable } from './repo2docker.js';

export async function builderFor(config: Config, docker: Docker): Promise<IBuilder> {
  const records = new BuildRecords(buildRecordsFile(config.state_dir));
  if (config.build.kind === 'repo2docker') {
    const available = await repo2dockerAvailable(config.build.repo2docker_command);
    if (!available.ok) {
      throw new HBrokerError('repo2docker_missing', available.reason, 500);
    }
    return new Repo2DockerBuilder(docker, config.build.repo2docker_command, config.build, records);
  }
  return new DockerfileBuilder(docker, config.executor.image, config.build, records);
}

/** hbroker doctor's line for the builder: what it is and whether it can work here. */
export async function builderCheck(config: Config): Promise<[boolean, string]> {
  if (config.build.kind === 'dockerfile') {
    return [
      true,
      `builder "dockerfile": Dockerfiles generated on ${config.executor.image}, Python ${config.build.python_versions.join(', ')}`
    ];
  }
  const available = await repo2dockerAvailable(config.build.repo2docker_command);
  return available.ok
    ? [
        true,
        `builder "repo2docker": ${available.version} (it needs a container registry and the internet)`
      ]
    : [false, available.reason];
}
