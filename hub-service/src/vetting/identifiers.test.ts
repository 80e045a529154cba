import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdentifierChecker } from './identifiers.js';
import { context, fileCandidate, html, outputCandidate, stream } from './test-candidates.js';

const index = {
  identifiers: ['synthetic-007', 'p001', 'ana@example.org', '1961-04-12', 'x1'],
  records: []
};
const checker = new IdentifierChecker(4);

describe('IdentifierChecker', () => {
  it('fails an HTML table hiding a patient id, pointing at the row, never quoting it', async () => {
    const table = `<table class="dataframe"><thead><tr><th></th><th>mean</th></tr></thead><tbody>
<tr><th>group a</th><td>71.2</td></tr><tr><th>SYNTHETIC-007</th><td>64.0</td></tr></tbody></table>`;
    const c = outputCandidate(html(table), 4, 1);
    const findings = await checker.check(c, context(c, index));
    assert.equal(findings[0].verdict, 'fail');
    assert.equal(findings[0].location?.cell, 4);
    assert.equal(findings[0].location?.output, 1);
    assert.equal(typeof findings[0].location?.row, 'number');
    assert.ok(
      findings.every(f => !/synthetic-007/i.test(JSON.stringify(f))),
      'no finding names the identifier'
    );
  });

  it('finds emails and birth dates in text and gives a CSV row and column', async () => {
    const c = fileCandidate('out.csv', 'who,n\nana@example.org,12\nb,1961-04-12\n');
    const findings = await checker.check(c, context(c, index));
    assert.deepEqual(
      findings.map(f => [f.verdict, f.location?.row, f.location?.column]),
      [
        ['fail', 0, '0'],
        ['fail', 1, '1']
      ]
    );
  });

  it('passes text where ids appear only inside longer words, and ignores identifiers too short to search', async () => {
    const c = outputCandidate(stream('p0012 and ap001 and x1 x1 x1\n'));
    const [f] = await checker.check(c, context(c, index));
    assert.equal(f.verdict, 'pass');
  });

  it('sums up when an identifier appears very often', async () => {
    const c = outputCandidate(stream(Array.from({ length: 30 }, () => 'p001').join('\n')));
    const findings = await checker.check(c, context(c, index));
    assert.equal(findings.length, 11);
    assert.match(findings[10].reason, /30 times/);
  });
});
