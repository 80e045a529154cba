// The first checker: file types on the admin's allow-list, under the size limit; logs always need a human.
import { extname } from 'node:path';
import type { Finding } from '../schema/index.js';
import type { ICandidate, IChecker } from './index.js';

export class AllowListChecker implements IChecker {
  readonly name = 'allow-list';
  private allowed: Set<string>;

  constructor(
    allowedTypes: string[],
    private maxFileMb: number
  ) {
    this.allowed = new Set(allowedTypes.map(t => t.toLowerCase().replace(/^\./, '')));
  }

  async check(c: ICandidate): Promise<Finding[]> {
    const location = { file: c.path };
    const type = extname(c.path).slice(1).toLowerCase();
    if (c.kind === 'log') {
      // stdout/stderr can echo anything the notebook touched; no automatic check can clear it yet.
      return [
        {
          check: this.name,
          verdict: 'review',
          reason: 'Run logs can carry data: an output checker must read them.',
          location
        }
      ];
    }
    if (!this.allowed.has(type)) {
      return [
        {
          check: this.name,
          verdict: 'fail',
          reason: `Files of type "${type || 'none'}" may not leave; allowed: ${[...this.allowed].join(', ')}.`,
          location
        }
      ];
    }
    if (c.size > this.maxFileMb * 1024 * 1024) {
      return [
        {
          check: this.name,
          verdict: 'fail',
          reason: `The file is ${(c.size / 1048576).toFixed(1)} MB, over the ${this.maxFileMb} MB limit: write a smaller summary.`,
          location
        }
      ];
    }
    return [
      {
        check: this.name,
        verdict: 'pass',
        reason: `An allowed file type (${type}) within the size limit.`,
        location
      }
    ];
  }
}
