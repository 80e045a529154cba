// The build stage: which image a job runs in. This version uses the admin's base image as it is.
import type Docker from 'dockerode';
import { HBrokerError } from '../errors.js';
import type { EnvironmentSpec } from '../schema/index.js';

export interface IBuiltImage {
  /** The tag or name the run starts from. */
  image: string;
  /** The content id (sha256:…) recorded in the archive. */
  imageId: string;
}

export interface IBuilder {
  build(jobId: string, environment: EnvironmentSpec): Promise<IBuiltImage>;
}

export class BaseImageBuilder implements IBuilder {
  constructor(
    private docker: Docker,
    private image: string
  ) {}

  async build(_jobId: string, _environment: EnvironmentSpec): Promise<IBuiltImage> {
    try {
      const info = await this.docker.getImage(this.image).inspect();
      return { image: this.image, imageId: info.Id };
    } catch {
      throw new HBrokerError(
        'base_image_missing',
        `The run base image ${this.image} is not on this Docker engine. An admin should run the set-up (npm start) or 'hbroker doctor'.`,
        500
      );
    }
  }
}
