// Names are content: every released path (the notebook, each file, folders included) goes through the
// identifier, record and hidden-character checks, all names of a run read together, one per line, so
// forty files named `<patient>_<time>_<value>.txt` are forty records; a file nobody named goes to review.
import { hasHiddenCharacters, revealHiddenCharacters } from '../bundle/hidden-characters.js';
import type { Finding } from '../schema/index.js';
import {
  locate,
  type IArtifactContent,
  type ICandidate,
  type IChecker,
  type IRunNames,
  type IVetContext
} from './index.js';

/** Names as text for the content checks; names hold no tables. */
class NamesContent implements IArtifactContent {
  constructor(private names: string) {}
  text = async () => this.names;
  tables = async () => [];
}

/** A name (or all names, one per line) as an artifact the content checks can read. */
function namesCandidate(text: string): { candidate: ICandidate; content: IArtifactContent } {
  return {
    candidate: {
      path: '(names)',
      kind: 'log',
      size: 0,
      sha256: '0'.repeat(64),
      read: async () => Buffer.from(text)
    },
    content: new NamesContent(text)
  };
}

export class NameChecker implements IChecker {
  readonly name = 'names';
  private byRun = new WeakMap<IRunNames, Promise<Finding[]>>();

  /** `checkers` read the names as text: the identifier and record checks. */
  constructor(private checkers: IChecker[]) {}

  /** What the content checks find, not passing, in one text of names. */
  private async read(text: string, context: IVetContext): Promise<Finding[]> {
    const { candidate, content } = namesCandidate(text);
    const found: Finding[] = [];
    for (const checker of this.checkers) {
      found.push(...(await checker.check(candidate, { ...context, content })));
    }
    return found.filter(f => f.verdict !== 'pass');
  }

  async check(c: ICandidate, context: IVetContext): Promise<Finding[]> {
    const { run } = context;
    if (c.kind === 'cell_output' || !run) {
      return []; // a cell output's path is HBroker's own, not the run's
    }
    const findings: Finding[] = [];
    const finding = (verdict: Finding['verdict'], reason: string) =>
      findings.push({
        check: this.name,
        verdict,
        reason,
        location: locate(c),
        ...(verdict === 'pass'
          ? {}
          : {
              mitigations: [
                {
                  action: 'remove' as const,
                  detail: 'Name output files after what they hold, never after values of the data.'
                }
              ]
            })
      });
    if (hasHiddenCharacters(c.path)) {
      finding(
        'fail',
        `The name holds ${revealHiddenCharacters(c.path).match(/⟦U\+[0-9A-F]+⟧/g)?.length ?? 0} invisible or formatting characters: a name is shown to people and can carry data.`
      );
    }
    // All names together: one record per name is row-level data once there are enough names.
    let whole = this.byRun.get(run);
    if (!whole) {
      whole = this.read(run.paths.join('\n'), context);
      this.byRun.set(run, whole);
    }
    const recordsInNames = (await whole).find(
      f => f.check === 'raw-records' && f.verdict === 'fail'
    );
    for (const f of await this.read(c.path, context)) {
      if (f.check === 'identifiers') {
        finding('fail', 'An identifier from the staged data appears in this name.');
      } else if (f.check === 'raw-records' && recordsInNames) {
        finding(
          'fail',
          `This name shows a staged record, and the names of this run's files show them as row-level data (${recordsInNames.reason})`
        );
      } else {
        finding(f.verdict, `This name: ${f.reason}`);
      }
    }
    const declared = run.declared;
    if (c.kind === 'output' && declared && !declared.includes(c.path)) {
      const folder = declared.find(d => c.path.startsWith(`${d.replace(/\/+$/, '')}/`));
      finding(
        'review',
        `This file was found inside the declared folder "${folder ?? '?'}"; its name was not declared, so an output checker must look at it. Declare each file by its exact name to have it checked automatically.`
      );
    }
    if (findings.length === 0) {
      finding('pass', 'The name holds no identifier, record or hidden character.');
    }
    return findings;
  }
}
