import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Artifact, Review, ReviewDecision } from '../schema/index.js';
import { decide, feedbackFor, latestReviews } from './decide.js';

const artifact = (path: string): Artifact => ({
  path,
  kind: 'output',
  size: 1,
  sha256: '0'.repeat(64),
  status: 'pending',
  findings: []
});
const artifacts = [artifact('a.csv'), artifact('b.png')];
let seq = 0;
const review = (reviewer: string, a: 'approve' | 'reject', b: 'approve' | 'reject'): Review => {
  const d = (path: string, decision: 'approve' | 'reject'): ReviewDecision => ({
    path,
    decision,
    visibility: 'checkers'
  });
  return {
    job_id: 'j',
    seq: ++seq,
    reviewer,
    at: new Date().toISOString(),
    decisions: [d('a.csv', a), d('b.png', b)]
  };
};
const returned = (reviewer: string, changes: string): Review => ({
  job_id: 'j',
  seq: ++seq,
  reviewer,
  at: new Date().toISOString(),
  return: { changes }
});
const statuses = (artifacts: Artifact[]) => artifacts.map(a => a.status);

describe('review decisions', () => {
  it('one: the first review decides; approved leave, rejected stay', () => {
    const out = decide('one', artifacts, [review('c1', 'approve', 'reject')]);
    assert.equal(out.decided, true);
    assert.equal(out.state, 'released');
    assert.deepEqual(statuses(out.artifacts), ['released', 'withheld']);
    assert.match(out.reason!, /1 of 2 outputs released/);
  });

  it('one: nothing approved is a rejected job', () => {
    const out = decide('one', artifacts, [review('c1', 'reject', 'reject')]);
    assert.equal(out.state, 'rejected');
    assert.deepEqual(statuses(out.artifacts), ['withheld', 'withheld']);
    assert.match(out.reason!, /approved none of the 2 outputs/);
  });

  it('two: one review decides nothing, not even a second review by the same checker', () => {
    const first = review('c1', 'approve', 'approve');
    assert.equal(decide('two', artifacts, [first]).decided, false);
    assert.equal(
      decide('two', artifacts, [first, review('c1', 'approve', 'approve')]).decided,
      false
    );
  });

  it('two: an artifact leaves only when both approve; a disagreement stays withheld and says so', () => {
    const out = decide('two', artifacts, [
      review('c1', 'approve', 'approve'),
      review('c2', 'approve', 'reject')
    ]);
    assert.equal(out.state, 'released');
    assert.deepEqual(statuses(out.artifacts), ['released', 'withheld']);
    assert.deepEqual(out.disagreed, ['b.png']);
    assert.match(out.reason!, /Checkers disagreed on "b.png", so it stays withheld/);
  });

  it('two: a later review by a checker supersedes their earlier one', () => {
    const out = decide('two', artifacts, [
      review('c1', 'reject', 'reject'),
      review('c1', 'approve', 'approve'),
      review('c2', 'approve', 'approve')
    ]);
    assert.deepEqual(statuses(out.artifacts), ['released', 'released']);
    assert.equal(out.reason, undefined);
    assert.deepEqual(
      latestReviews([review('c1', 'reject', 'reject'), review('c1', 'approve', 'reject')]).map(
        r => r.decisions![0].decision
      ),
      ['approve']
    );
  });

  it('a return by any counted checker sends the job back with nothing released', () => {
    const out = decide('two', artifacts, [
      review('c1', 'approve', 'approve'),
      returned('c2', 'Round counts to base 5.')
    ]);
    assert.equal(out.state, 'rejected');
    assert.equal(out.returned, true);
    assert.deepEqual(statuses(out.artifacts), ['withheld', 'withheld']);
    assert.match(out.reason!, /requested changes: Round counts to base 5\./);
  });

  it("the author's feedback holds requested changes and only comments meant for them", () => {
    const r = review('c1', 'approve', 'reject');
    r.decisions![0].comment = 'internal note';
    r.decisions![1] = {
      ...r.decisions![1],
      comment: 'Too few people per bar.',
      visibility: 'author'
    };
    assert.deepEqual(feedbackFor('released', [r]), {
      outcome: 'released',
      requested_changes: [],
      comments: [{ path: 'b.png', decision: 'reject', comment: 'Too few people per bar.' }]
    });
    assert.deepEqual(feedbackFor('rejected', [returned('c1', 'Aggregate by week.')]), {
      outcome: 'returned',
      requested_changes: ['Aggregate by week.'],
      comments: []
    });
    assert.equal(feedbackFor('released', []), undefined);
  });
});
