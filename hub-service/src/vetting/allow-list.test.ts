import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AllowListChecker } from './allow-list.js';
import { context, fileCandidate, html, outputCandidate, stream } from './test-candidates.js';

const checker = new AllowListChecker(
  ['csv', 'png', 'svg', 'json', 'txt', 'md', 'html', 'pdf', 'ipynb'],
  1,
  50
);
const verdicts = async (c: ReturnType<typeof fileCandidate>) =>
  (await checker.check(c, context(c))).map(f => f.verdict);

describe('AllowListChecker', () => {
  it('passes allowed text formats within the limits', async () => {
    assert.deepEqual(await verdicts(fileCandidate('summary.csv', 'a,n\nx,12\n')), ['pass']);
    assert.deepEqual(await verdicts(fileCandidate('notes.md', '# fine')), ['pass']);
    assert.deepEqual(await verdicts(outputCandidate(stream('60\n'))), ['pass']);
    assert.deepEqual(await verdicts(outputCandidate(html('<p>hi</p>'))), ['pass']);
  });

  it('fails types off the list, files over the size limit and tables over the row limit', async () => {
    const exe = await checker.check(
      fileCandidate('data.parquet', 'x'),
      context(fileCandidate('data.parquet', 'x'))
    );
    assert.equal(exe[0].verdict, 'fail');
    assert.match(exe[0].reason, /"parquet" may not leave/);
    assert.deepEqual(await verdicts(fileCandidate('big.txt', Buffer.alloc(1024 * 1024 + 1, 97))), [
      'fail'
    ]);
    const rows = 'a,n\n' + 'x,12\n'.repeat(51);
    const long = fileCandidate('rows.csv', rows);
    const [f] = await checker.check(long, context(long));
    assert.equal(f.verdict, 'fail');
    assert.match(f.reason, /51 rows, over the limit of 50/);
    assert.equal(f.mitigations?.[0].action, 'aggregate');
    assert.deepEqual(await verdicts(fileCandidate('rows.csv', 'a,n\n' + 'x,12\n'.repeat(50))), [
      'pass'
    ]);
  });

  it('sends images, unreadable formats, errors and logs to review', async () => {
    assert.deepEqual(await verdicts(fileCandidate('plot.png', Buffer.from([137, 80, 78, 71, 0]))), [
      'review'
    ]);
    assert.deepEqual(await verdicts(fileCandidate('plot.svg', '<svg/>')), ['review']);
    assert.deepEqual(await verdicts(fileCandidate('report.pdf', '%PDF')), ['review']);
    assert.deepEqual(await verdicts(fileCandidate('hbroker-logs/kernel.log', '', 'log')), [
      'review'
    ]);
    const image = outputCandidate({
      output_type: 'display_data',
      data: { 'image/png': 'iVBO', 'text/plain': 'fig' }
    });
    assert.deepEqual(await verdicts(image), ['review']);
    const widget = outputCandidate({
      output_type: 'display_data',
      data: { 'application/vnd.jupyter.widget-view+json': {} }
    });
    assert.deepEqual(await verdicts(widget), ['review']);
    const error = outputCandidate({
      output_type: 'error',
      ename: 'KeyError',
      evalue: 'x',
      traceback: []
    });
    const [f] = await checker.check(error, context(error));
    assert.equal(f.verdict, 'review');
    assert.deepEqual(f.location, { file: 'analysis.ipynb/cells/2/outputs/0', cell: 2, output: 0 });
  });
});
