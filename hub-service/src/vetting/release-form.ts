// What release will write of an artifact: a content that does not match its name fails, hidden characters
// fail (release removes them anyway), and what release drops or re-encodes is said, for the checker.
import type { Finding } from '../schema/index.js';
import { locate, type ICandidate, type IChecker } from './index.js';

/** Lines named one by one before the rest are summed up. */
const listed = 10;

const kindsOf = (kinds: Record<string, number | undefined>) =>
  Object.entries(kinds)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');

export class ReleaseFormChecker implements IChecker {
  readonly name = 'release';

  async check(c: ICandidate): Promise<Finding[]> {
    const form = await c.release?.();
    if (!form) {
      return [];
    }
    const findings: Finding[] = [];
    const finding = (verdict: Finding['verdict'], reason: string, extra: Partial<Finding> = {}) =>
      findings.push({ check: this.name, verdict, reason, location: locate(c), ...extra });
    if (form.problem) {
      finding('fail', form.problem, {
        mitigations: [{ action: 'remove', detail: 'Write the result in the format its name says.' }]
      });
    }
    const { hidden } = form;
    if (hidden.count > 0) {
      const mitigations: Finding['mitigations'] = [
        {
          action: 'remove',
          detail:
            'Remove invisible and formatting characters (zero-width, bidi controls, tags, private use) before printing or saving.'
        }
      ];
      const lines = hidden.lines.slice(0, listed);
      finding(
        'fail',
        `${hidden.count} invisible or formatting characters (${kindsOf(hidden.kinds)}) on ${lines.length === hidden.lines.length ? '' : `${hidden.lines.length} lines, first `}line${hidden.lines.length === 1 ? '' : 's'} ${lines.join(', ')}: they can carry data a reader cannot see. Release removes them.`,
        { mitigations }
      );
      for (const line of lines) {
        findings.push({
          check: this.name,
          verdict: 'fail',
          reason: 'Invisible or formatting characters on this line.',
          location: locate(c, { row: line - 1 }),
          mitigations
        });
      }
    }
    if (form.opaque && c.kind === 'output') {
      finding(
        'review',
        'HBroker cannot re-derive this type of file: if approved, it leaves as written, with whatever it holds beyond what a viewer shows (metadata, attachments).'
      );
    }
    const changes = [
      ...form.dropped.map(d => `drops ${d}`),
      ...form.reencoded.map(r => `re-encodes ${r}`)
    ];
    if (changes.length > 0) {
      finding('pass', `Release ${changes.join('; ')}.`);
    }
    if (findings.length === 0) {
      finding('pass', 'Release writes it again from its parse; nothing is dropped.');
    }
    return findings;
  }
}
