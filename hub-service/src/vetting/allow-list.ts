// The type and size checker: the admin's allow-list, the size and table-row limits; images, unknown formats and logs need a human.
import { extname } from 'node:path';
import type { Finding } from '../schema/index.js';
import { locate, type ICandidate, type IChecker, type IVetContext } from './index.js';

/** Formats the other checks can read as text; any other allowed type goes to review. */
const textTypes = new Set(['csv', 'json', 'txt', 'md', 'html', 'htm', 'ipynb', 'log', 'tsv']);
const imageTypes = new Set(['png', 'svg', 'jpg', 'jpeg', 'gif', 'webp']);
/** Cell output representations the other checks read; anything else goes to review. */
const textMimes = new Set([
  'text/plain',
  'text/html',
  'text/markdown',
  'text/latex',
  'application/json'
]);

export class AllowListChecker implements IChecker {
  readonly name = 'allow-list';
  private allowed: Set<string>;

  constructor(
    allowedTypes: string[],
    private maxFileMb: number,
    private maxTableRows = 5000
  ) {
    this.allowed = new Set(allowedTypes.map(t => t.toLowerCase().replace(/^\./, '')));
  }

  private finding(
    c: ICandidate,
    verdict: Finding['verdict'],
    reason: string,
    extra: Partial<Finding> = {}
  ): Finding {
    return { check: this.name, verdict, reason, location: locate(c), ...extra };
  }

  async check(c: ICandidate, context: IVetContext): Promise<Finding[]> {
    if (c.kind === 'log') {
      // The kernel's own stdout/stderr: warnings and tracebacks whose messages can carry data.
      return [
        this.finding(c, 'review', 'Run logs can carry data: an output checker must read them.')
      ];
    }
    if (c.size > this.maxFileMb * 1024 * 1024) {
      return [
        this.finding(
          c,
          'fail',
          `The artifact is ${(c.size / 1048576).toFixed(1)} MB, over the ${this.maxFileMb} MB limit.`,
          { mitigations: [{ action: 'aggregate', detail: 'Write a smaller summary instead.' }] }
        )
      ];
    }
    const format = c.kind === 'cell_output' ? this.outputFormat(c) : this.fileFormat(c);
    if (format) {
      return [format];
    }
    const long = (await context.content.tables()).find(t => t.rowCount > this.maxTableRows);
    if (long) {
      return [
        this.finding(
          c,
          'fail',
          `A table has ${long.rowCount} rows, over the limit of ${this.maxTableRows}: outputs are summaries, not row-level data.`,
          {
            mitigations: [
              {
                action: 'aggregate',
                detail: 'Group the rows into a summary table with fewer rows.'
              }
            ]
          }
        )
      ];
    }
    return [this.finding(c, 'pass', 'An allowed format within the size and row limits.')];
  }

  /** A verdict on a cell output's format, or undefined when the content checks can read it. */
  private outputFormat(c: ICandidate): Finding | undefined {
    const { output_type, mime } = c.cellOutput!;
    if (output_type === 'error') {
      return this.finding(
        c,
        'review',
        'An error output: its message and traceback can carry data no automatic check recognises.',
        {
          mitigations: [
            { action: 'remove', detail: 'Fix or catch the error so the cell runs cleanly.' }
          ]
        }
      );
    }
    if (mime.startsWith('image/')) {
      return this.finding(c, 'review', `An image (${mime}): an output checker must look at it.`);
    }
    if (!textMimes.has(mime) || output_type === 'unknown') {
      return this.finding(
        c,
        'review',
        `An output of type ${mime} that no automatic check can read.`
      );
    }
    return undefined;
  }

  private fileFormat(c: ICandidate): Finding | undefined {
    const type = extname(c.path).slice(1).toLowerCase();
    if (!this.allowed.has(type)) {
      return this.finding(
        c,
        'fail',
        `Files of type "${type || 'none'}" may not leave; allowed: ${[...this.allowed].join(', ')}.`,
        { mitigations: [{ action: 'remove', detail: 'Save the result in an allowed format.' }] }
      );
    }
    if (imageTypes.has(type)) {
      return this.finding(c, 'review', `An image (${type}): an output checker must look at it.`);
    }
    if (!textTypes.has(type)) {
      return this.finding(c, 'review', `A ${type} file, which no automatic check can read.`);
    }
    return undefined;
  }
}
