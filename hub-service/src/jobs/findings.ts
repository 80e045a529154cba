// An artifact's findings as the author and checkers read them: the same sentence once with where it
// occurs, no pass that another check on the same artifact contradicts, and each advice once.
// Browser-safe (generated types only): the lab extension renders with it too.
import type { Finding, FindingGroup } from '../generated/schema.js';

/** Rows listed by number before the rest are summed up as "…". */
const listedRows = 8;

/**
 * A pass of the key's check is void when the value's check did not pass on the same artifact: rows of
 * staged records are not a frequency table, however large their counts look.
 */
const voidedPasses: Record<string, string[]> = {
  tables: ['raw-records', 'identifiers']
};

const order: Record<Finding['verdict'], number> = { fail: 0, review: 1, pass: 2 };

function where(rows: number[], count: number, cells: boolean): string {
  if (rows.length === 0) {
    return count > 1 ? ` (${count} times)` : '';
  }
  const noun = cells ? 'rows' : 'lines';
  const shown = rows.slice(0, listedRows).join(', ');
  const more = rows.length > listedRows ? ', …' : '';
  return rows.length === 1
    ? ` (${cells ? 'row' : 'line'} ${rows[0]})`
    : ` (on ${rows.length} ${noun}: ${shown}${more})`;
}

/** Groups findings that say the same thing; fails first, then reviews, then passes. */
export function groupFindings(findings: Finding[]): FindingGroup[] {
  const notPassing = new Set(findings.filter(f => f.verdict !== 'pass').map(f => f.check));
  const kept = findings.filter(
    f => f.verdict !== 'pass' || !(voidedPasses[f.check] ?? []).some(c => notPassing.has(c))
  );
  const groups = new Map<string, { first: Finding; all: Finding[] }>();
  for (const f of kept) {
    const key = `${f.check}\u0000${f.verdict}\u0000${f.reason}`;
    const group = groups.get(key);
    if (group) {
      group.all.push(f);
    } else {
      groups.set(key, { first: f, all: [f] });
    }
  }
  const advised = new Set<string>();
  return [...groups.values()]
    .sort((a, b) => order[a.first.verdict] - order[b.first.verdict])
    .map(({ first, all }) => {
      const rows = [
        ...new Set(all.map(f => f.location?.row).filter((r): r is number => typeof r === 'number'))
      ]
        .sort((a, b) => a - b)
        .map(r => r + 1);
      const cells = all.some(f => f.location?.column !== undefined);
      const mitigations = all
        .flatMap(f => f.mitigations ?? [])
        .filter(m => !advised.has(m.detail) && advised.add(m.detail));
      const reason = first.reason.replace(/\s*\bhere\.$/, '.');
      const group: FindingGroup = {
        check: first.check,
        verdict: first.verdict,
        reason:
          reason.replace(/\.$/, '') +
          where(rows, all.length, cells) +
          (reason.endsWith('.') ? '.' : ''),
        count: all.length,
        mitigations
      };
      if (rows.length) {
        group.rows = rows;
      }
      return group;
    });
}
