// A data source that reads each study from a local folder (<studies_dir>/<study>/), for this issue and tests.
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync
} from 'node:fs';
import { join } from 'node:path';
import { HBrokerError } from '../errors.js';
import type { Study } from '../schema/index.js';
import { DatasetHash } from './dataset/hash.js';
import type { IDataSource } from './index.js';

export class LocalDirectorySource implements IDataSource {
  constructor(
    private studiesDir: string,
    /** The same layout, one folder per study, holding synthetic data for the preflight. */
    private syntheticDir?: string
  ) {}

  /** Copies <synthetic_dir>/<study> for the preflight; undefined without one. */
  async stageSynthetic(study: string, into: string) {
    if (!this.syntheticDir) {
      return undefined;
    }
    const synthetic = new LocalDirectorySource(this.syntheticDir);
    return (await synthetic.has(study)) ? synthetic.stage(study, into) : undefined;
  }

  /** Every folder under studies_dir is a study; a folder may describe itself in study.json. */
  async studies(): Promise<Study[]> {
    let names: string[] = [];
    try {
      names = readdirSync(this.studiesDir, { withFileTypes: true })
        .filter(e => e.isDirectory())
        .map(e => e.name)
        .sort();
    } catch {
      return [];
    }
    return names.map(id => {
      const described = join(this.studiesDir, id, 'study.json');
      if (existsSync(described)) {
        const { name, description, codes, patients } = JSON.parse(
          readFileSync(described, 'utf8')
        ) as Partial<Study>;
        return { id, name: name ?? id, description, codes, patients };
      }
      return { id, name: id };
    });
  }

  async has(study: string): Promise<boolean> {
    try {
      return lstatSync(join(this.studiesDir, study)).isDirectory();
    } catch {
      return false;
    }
  }

  async stage(study: string, into: string) {
    const from = join(this.studiesDir, study);
    if (!(await this.has(study))) {
      throw new HBrokerError(
        'study_not_found',
        `Study "${study}" has no data on this service. Check the study id, or ask an admin to add it.`,
        404
      );
    }
    const hash = new DatasetHash();
    let files = 0;
    let bytes = 0;
    const copy = (src: string, dst: string, rel: string) => {
      for (const entry of readdirSync(src, { withFileTypes: true }).sort((a, b) =>
        a.name < b.name ? -1 : 1
      )) {
        const s = join(src, entry.name);
        const d = join(dst, entry.name);
        const r = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          mkdirSync(d, { mode: 0o700 });
          copy(s, d, r);
        } else if (entry.isFile()) {
          // Read once: the copy and the hash come from the same bytes.
          const content = readFileSync(s);
          writeFileSync(d, content, { mode: 0o600 });
          hash.add(r, createHash('sha256').update(content).digest('hex'));
          files += 1;
          bytes += content.length;
        }
        // Links and devices are not data: skipped so a study folder cannot expose the host.
      }
    };
    copy(from, into, '');
    return { files, bytes, sha256: hash.digest() };
  }
}
