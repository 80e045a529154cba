// Identifier leakage: any patient id, user id, record id, email or date of birth from the staged data, in any text artifact.
import type { Finding } from '../schema/index.js';
import { PatternSearch } from './aho-corasick.js';
import {
  locate,
  type ICandidate,
  type IChecker,
  type IDisclosureIndex,
  type IVetContext
} from './index.js';
import { TextPosition } from './text-position.js';

const isWordChar = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/** Findings listed one by one before the rest are summed up. */
const listed = 10;

export class IdentifierChecker implements IChecker {
  readonly name = 'identifiers';
  private searches = new WeakMap<IDisclosureIndex, PatternSearch>();

  constructor(private minLength = 4) {}

  private searchFor(index: IDisclosureIndex): PatternSearch {
    let search = this.searches.get(index);
    if (!search) {
      search = new PatternSearch(
        index.identifiers.map(s => s.trim()).filter(s => s.length >= this.minLength)
      );
      this.searches.set(index, search);
    }
    return search;
  }

  async check(c: ICandidate, { index, content }: IVetContext): Promise<Finding[]> {
    const text = await content.text();
    if (text === undefined) {
      return [];
    }
    const search = this.searchFor(index);
    const position = TextPosition.of(c, text);
    const lines = new Map<number, { row: number; column?: string }>();
    let count = 0;
    search.search(text, (pattern, start, end) => {
      const p = search.patterns[pattern];
      // A match inside a longer word or number (p001 in p0012) is not that identifier.
      const before = start > 0 ? text.charCodeAt(start - 1) : 32;
      const after = end < text.length ? text.charCodeAt(end) : 32;
      if (
        (isWordChar(p.charCodeAt(0)) && isWordChar(before)) ||
        (isWordChar(p.charCodeAt(p.length - 1)) && isWordChar(after))
      ) {
        return;
      }
      count++;
      const at = position.locate(start);
      if (lines.size < listed && !lines.has(at.row)) {
        lines.set(at.row, at);
      }
    });
    if (count === 0) {
      return [
        {
          check: this.name,
          verdict: 'pass',
          reason: `None of the ${search.patterns.length} identifiers of the staged data appears.`,
          location: locate(c)
        }
      ];
    }
    const mitigations: Finding['mitigations'] = [
      {
        action: 'remove',
        detail:
          'Drop identifier columns (patient, user, record ids, emails, birth dates) before printing or saving.'
      }
    ];
    const findings: Finding[] = [...lines.values()].map(at => ({
      check: this.name,
      verdict: 'fail',
      reason: 'An identifier from the staged data appears here.',
      location: locate(c, at),
      mitigations
    }));
    if (count > lines.size) {
      findings.push({
        check: this.name,
        verdict: 'fail',
        reason: `Identifiers from the staged data appear ${count} times in all.`,
        location: locate(c),
        mitigations
      });
    }
    return findings;
  }
}
