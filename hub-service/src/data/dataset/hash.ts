// The hash of a dataset version: every file's path and content hash, in the order the files are added.
import { createHash } from 'node:crypto';

export class DatasetHash {
  private hash = createHash('sha256');

  add(path: string, contentSha256: string): void {
    this.hash.update(path).update('\0').update(contentSha256).update('\n');
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
