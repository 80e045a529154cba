// The review form: every artifact needs approve or reject before a review can be sent; comments
// and their visibility go with the decision; a return needs the requested changes; an earlier
// review of this checker fills the form in, to be revised.
import { ReviewForm } from '../review/form';

describe('ReviewForm', () => {
  it('sends nothing until every artifact is decided, then one decision per artifact', () => {
    const form = new ReviewForm(['means.csv', 'plot.png']);
    expect(form.undecided()).toEqual(['means.csv', 'plot.png']);
    expect(form.decisions()).toBeUndefined();
    form.set('means.csv', { decision: 'approve' });
    expect(form.undecided()).toEqual(['plot.png']);
    expect(form.decisions()).toBeUndefined();
    form.set('plot.png', {
      decision: 'reject',
      comment: '  Points under 10 people.  ',
      visibility: 'author'
    });
    expect(form.decisions()).toEqual({
      decisions: [
        { path: 'means.csv', decision: 'approve', visibility: 'checkers' },
        {
          path: 'plot.png',
          decision: 'reject',
          visibility: 'author',
          comment: 'Points under 10 people.'
        }
      ]
    });
  });

  it('lets a decision change, and keeps the comment when only the decision changes', () => {
    const form = new ReviewForm(['a.csv']);
    form.set('a.csv', { decision: 'approve', comment: 'fine' });
    form.set('a.csv', { decision: 'reject' });
    expect(form.get('a.csv')).toEqual({
      decision: 'reject',
      comment: 'fine',
      visibility: 'checkers'
    });
  });

  it('refuses a path that is not an artifact of the job', () => {
    const form = new ReviewForm(['a.csv']);
    expect(() => form.set('b.csv', { decision: 'approve' })).toThrow('"b.csv" is not an artifact');
  });

  it('returns the job only with requested changes, trimmed', () => {
    const form = new ReviewForm(['a.csv']);
    expect(form.returned()).toBeUndefined();
    form.changes = '   ';
    expect(form.returned()).toBeUndefined();
    form.changes = ' Round counts to 5. ';
    expect(form.returned()).toEqual({ return: { changes: 'Round counts to 5.' } });
  });

  it("starts from the checker's latest review, so a revision only changes what they change", () => {
    const form = new ReviewForm(['a.csv', 'b.csv', 'new.csv'], {
      job_id: 'j',
      seq: 3,
      reviewer: 'checker1',
      at: '2026-01-01T10:00:00Z',
      decisions: [
        { path: 'a.csv', decision: 'reject', comment: 'small counts', visibility: 'author' },
        { path: 'b.csv', decision: 'approve', visibility: 'checkers' }
      ]
    });
    expect(form.get('a.csv')).toEqual({
      decision: 'reject',
      comment: 'small counts',
      visibility: 'author'
    });
    expect(form.undecided()).toEqual(['new.csv']);
  });

  it('has nothing to send for a job without artifacts', () => {
    expect(new ReviewForm([]).decisions()).toBeUndefined();
  });
});
