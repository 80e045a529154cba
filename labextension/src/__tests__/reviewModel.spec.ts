// The review model and the sidebar: the queue, a job with its artifacts, previews with flagged
// cells, a review refused until complete, sent once complete; the sidebar keeps the queue.
import { nullTranslator } from '@jupyterlab/translation';
import { TextEncoder } from 'node:util';
import type { Artifact } from '../request';
import { flags, previewOf } from '../review/content';
import { ReviewModel } from '../review/model';
import { ReviewPanel } from '../review/panel';
import { bodies, fakeReviewClient, log, reviewView, table } from './fakeReview';

const trans = nullTranslator.load('hbroker');
const view = reviewView([table, log]);

function setUp(scopes = ['custom:hbroker:review'], reviewed = false) {
  const { client, sent, previewed } = fakeReviewClient(view, { scopes, reviewed });
  return { model: new ReviewModel(client, trans), sent, previewed };
}

describe('review content', () => {
  it('reads a CSV as the vetting does and flags the finding’s cell, not passing findings', () => {
    const preview = previewOf(table, new TextEncoder().encode(bodies['counts.csv']));
    expect(preview).toMatchObject({
      kind: 'table',
      tables: [
        {
          header: ['week', 'count'],
          rows: [
            ['week 1', '40'],
            ['week 2', '3']
          ]
        }
      ]
    });
    const marks = flags(table.findings);
    expect([...marks.cells.keys()]).toEqual(['1:1']);
    expect(marks.rows.size).toBe(0);
  });

  it('shows a pandas HTML cell output as a table, an image output as an image, a stream as text', () => {
    const cell = (output: object): Artifact => ({
      ...table,
      path: 'n.ipynb/cells/1/outputs/0',
      kind: 'cell_output'
    });
    const encode = (o: object) => new TextEncoder().encode(JSON.stringify(o));
    const html =
      '<table border="1" class="dataframe"><thead><tr><th></th><th>count</th></tr></thead>' +
      '<tbody><tr><th>week 1</th><td>40</td></tr></tbody></table>';
    expect(
      previewOf(cell({}), encode({ output_type: 'execute_result', data: { 'text/html': [html] } }))
    ).toMatchObject({ kind: 'table', tables: [{ rows: [['week 1', '40']], labelColumns: 1 }] });
    expect(
      previewOf(cell({}), encode({ output_type: 'display_data', data: { 'image/png': 'iVBO\n' } }))
    ).toEqual({ kind: 'image', src: 'data:image/png;base64,iVBO' });
    expect(
      previewOf(cell({}), encode({ output_type: 'stream', name: 'stdout', text: ['a\n', 'b'] }))
    ).toEqual({ kind: 'text', text: 'a\nb' });
    expect(previewOf({ ...table, path: 'plot.png' }, new Uint8Array([137, 80]))).toEqual({
      kind: 'image',
      src: 'data:image/png;base64,iVA='
    });
  });
});

describe('ReviewModel', () => {
  it('says who may review from the scopes', async () => {
    expect(await setUp().model.mayReview()).toBe(true);
    expect(await setUp(['custom:hbroker:submit']).model.mayReview()).toBe(false);
  });

  it('refuses an incomplete review, naming what is undecided, and sends nothing', async () => {
    const { model, sent } = setUp();
    await model.refresh();
    await model.open('j1');
    model.form!.set('counts.csv', { decision: 'approve' });
    expect(await model.submit()).toBe(false);
    expect(model.error).toContain('stdout.txt');
    expect(sent).toEqual([]);
  });

  it('sends a complete review, then goes back to the (now empty) queue with a message', async () => {
    const { model, sent } = setUp();
    await model.refresh();
    expect(model.queue.map(j => j.id)).toEqual(['j1']);
    await model.open('j1');
    model.form!.set('counts.csv', { decision: 'approve' });
    model.form!.set('stdout.txt', { decision: 'reject', comment: 'ids', visibility: 'author' });
    expect(await model.submit()).toBe(true);
    expect(sent).toEqual([
      {
        decisions: [
          { path: 'counts.csv', decision: 'approve', visibility: 'checkers' },
          { path: 'stdout.txt', decision: 'reject', visibility: 'author', comment: 'ids' }
        ]
      }
    ]);
    expect(model.view).toBeUndefined();
    expect(model.queue).toEqual([]);
    expect(model.message).toBe('Review of job j1 submitted.');
  });

  it('sends a review once, however often Submit is pressed while it is on its way', async () => {
    const { model, sent } = setUp();
    await model.open('j1');
    model.form!.set('counts.csv', { decision: 'approve' });
    model.form!.set('stdout.txt', { decision: 'approve' });
    const results = await Promise.all([model.submit(), model.submit()]);
    expect(results).toEqual([true, false]);
    expect(sent).toHaveLength(1);
  });

  it('returns a job only with requested changes', async () => {
    const { model, sent } = setUp();
    await model.open('j1');
    expect(await model.returnJob()).toBe(false);
    model.form!.changes = 'Round to 5.';
    expect(await model.returnJob()).toBe(true);
    expect(sent).toEqual([{ return: { changes: 'Round to 5.' } }]);
  });
});

describe('ReviewPanel', () => {
  it('offers to revise a review already sent, and opens a job in the workspace', async () => {
    const { model } = setUp(undefined, true);
    const opened: string[] = [];
    const panel = new ReviewPanel(model, trans, id => opened.push(id));
    expect(panel.id).toBe('hbroker-review');
    await model.refresh();
    const open = panel.node.querySelector<HTMLButtonElement>('.jp-hbroker-ReviewRow button')!;
    expect(open.textContent).toBe('Revise your review');
    expect(open.getAttribute('aria-label')).toBe('Review job j1 (counts.ipynb)');
    open.click();
    expect(opened).toEqual(['j1']);
    // The sidebar keeps the queue: no artifact is reviewed in it.
    expect(panel.node.querySelector('.jp-hbroker-ReviewArtifact')).toBeNull();
    panel.dispose();
  });
});
