import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, fileCandidate, html, outputCandidate } from './test-candidates.js';

describe('what the checks read', () => {
  it('reads an error output as its name, message and traceback without colour codes', async () => {
    const c = outputCandidate({
      output_type: 'error',
      ename: 'KeyError',
      evalue: "'p001'",
      traceback: ['\u001b[0;31mKeyError\u001b[0m: p001']
    });
    assert.equal(await context(c).content.text(), "KeyError\n'p001'\nKeyError: p001");
  });

  it('reads HTML as rows of cells and keeps attribute values, which can carry data', async () => {
    const c = fileCandidate(
      't.html',
      '<p title="p001">x</p><table><tr><td>a</td><td>b</td></tr></table>'
    );
    const text = await context(c).content.text();
    assert.match(text!, /a\tb\t/);
    assert.match(text!, /p001/);
  });

  it('reads every textual representation of a display, and no image', async () => {
    const c = outputCandidate({
      output_type: 'display_data',
      data: { 'text/plain': 'plain', 'application/json': { k: 'json' }, 'image/png': 'iVBORw0' }
    });
    const text = await context(c).content.text();
    assert.match(text!, /plain/);
    assert.match(text!, /json/);
    assert.doesNotMatch(text!, /iVBORw0/);
  });

  it('has no text for binary files and no tables outside CSV and HTML', async () => {
    const png = fileCandidate('p.png', Buffer.from([137, 80, 78, 71]));
    assert.equal(await context(png).content.text(), undefined);
    assert.deepEqual(await context(fileCandidate('a.txt', 'a,b\n1,2\n')).content.tables(), []);
    const table = '<table class="dataframe"><tbody><tr><th>x</th><td>1</td></tr></tbody></table>';
    assert.equal((await context(outputCandidate(html(table))).content.tables()).length, 1);
  });
});
