// What a worker thread runs: staging a study, reading its disclosure index, vetting a run's outputs.
import { LocalArchive } from '../archive/index.js';
import type { Config } from '../config/index.js';
import { disclosureIndexOf } from '../data/dataset/index.js';
import { dataSourceFor } from '../data/from-config.js';
import type { IDataCaller, IDataSource } from '../data/index.js';
import type { IOutputFile } from '../exec/index.js';
import type { Artifact } from '../schema/index.js';
import { defaultCheckers, runCandidates, vet } from '../vetting/index.js';
import type { IPackedFiles } from './protocol.js';
import { decodeIndex, encodeIndex } from './staged-index.js';

/** One source per config in each thread, so a source that keeps state (a session, a token) keeps it. */
const sources = new Map<string, IDataSource>();
function sourceFor(config: Config): IDataSource {
  const key = JSON.stringify(config.data);
  let source = sources.get(key);
  if (!source) {
    source = dataSourceFor(config);
    sources.set(key, source);
  }
  return source;
}

export const tasks = {
  /** The caller's JHE token was read by the service (from the hub) and is handed over, never stored. */
  stage(input: {
    config: Config;
    study: string;
    into: string;
    caller: Omit<IDataCaller, 'jheToken'>;
    jheToken?: string;
  }) {
    return sourceFor(input.config).stage(input.study, input.into, {
      ...input.caller,
      jheToken: async () => input.jheToken
    });
  },

  /** Every file of a job's archived bundle, read and checked against its hash, in one buffer. */
  bundleFiles(input: { archiveRoot: string; jobId: string }): IPackedFiles {
    const files = new LocalArchive(input.archiveRoot).files(input.jobId);
    const contents = new Uint8Array(files.reduce((n, f) => n + f.content.length, 0));
    let offset = 0;
    const entries = files.map(f => {
      contents.set(f.content, offset);
      offset += f.content.length;
      return { path: f.path, mode: f.mode, length: f.content.length };
    });
    return { entries, contents: contents.buffer };
  },

  /** Returned encoded: the service holds it as bytes it never parses, until a worker vets with it. */
  disclosureIndex(input: { dir: string }): ArrayBuffer {
    return encodeIndex(disclosureIndexOf(input.dir));
  },

  vet(input: {
    vetting: Config['vetting'];
    files: IOutputFile[];
    notebook: string;
    outputDir: string;
    /** The manifest's declared outputs: files found inside a declared folder are named as such. */
    declared?: string[];
    index: ArrayBuffer;
  }): Promise<Artifact[]> {
    return vet(
      runCandidates(input.files, input.notebook, input.outputDir),
      defaultCheckers(input.vetting),
      { index: decodeIndex(input.index), ...(input.declared ? { declared: input.declared } : {}) }
    );
  }
};
