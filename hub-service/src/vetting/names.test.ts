import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdentifierChecker, NameChecker, RecordChecker, vet } from './index.js';
import { fileCandidate } from './test-candidates.js';

const index = {
  identifiers: ['p001', 'p002', 'p003'],
  records: [
    { patient: 'p001', time: '2026-01-01T08:00:00Z', value: '64' },
    { patient: 'p002', time: '2026-01-02T08:00:00Z', value: '71' },
    { patient: 'p003', time: '2026-01-03T08:00:00Z', value: '80' }
  ]
};
const names = new NameChecker([new IdentifierChecker(), new RecordChecker(3)]);
const verdicts = (findings: { check: string; verdict: string }[]) =>
  findings.filter(f => f.check === 'names').map(f => f.verdict);

describe('names', () => {
  it('fail when they hold identifiers, or records once the run names enough of them', async () => {
    const files = [
      '2026-01-01T08:00:00Z_64.txt',
      '2026-01-02T08:00:00Z_71.txt',
      '2026-01-03T08:00:00Z_80.txt'
    ];
    const artifacts = await vet(
      [...files.map(f => fileCandidate(`out/${f}`, '')), fileCandidate('out/p002.csv', 'a\n')],
      [names],
      { index, declared: [...files.map(f => `out/${f}`), 'out/p002.csv'] }
    );
    assert.deepEqual(
      artifacts.map(a => verdicts(a.findings)),
      [['fail'], ['fail'], ['fail'], ['fail']]
    );
    assert.match(
      artifacts[0].findings[0].reason,
      /names of this run's files show them as row-level data/
    );
    assert.match(
      artifacts[3].findings[0].reason,
      /An identifier from the staged data appears in this name/
    );
    assert.doesNotMatch(
      JSON.stringify(artifacts.map(a => a.findings.map(f => f.reason))),
      /p00\d|2026/
    );
  });

  it('a single record in a name is for a person to judge; hidden characters fail', async () => {
    const artifacts = await vet(
      [
        fileCandidate('2026-01-01T08:00:00Z_64.txt', ''),
        fileCandidate('report\u202efdp.csv', 'a\n')
      ],
      [names],
      { index }
    );
    assert.deepEqual(
      artifacts.map(a => verdicts(a.findings)),
      [['review'], ['fail']]
    );
    assert.match(artifacts[1].findings[0].reason, /1 invisible or formatting characters/);
  });

  it('a file found in a declared folder but not declared by name goes to review; a clean declared one passes', async () => {
    const artifacts = await vet(
      [fileCandidate('results/summary.csv', 'a\n'), fileCandidate('results/extra.csv', 'a\n')],
      [names],
      { index, declared: ['results/summary.csv', 'results/'] }
    );
    assert.deepEqual(
      artifacts.map(a => verdicts(a.findings)),
      [['pass'], ['review']]
    );
    assert.match(artifacts[1].findings[0].reason, /inside the declared folder "results\/"/);
  });
});
