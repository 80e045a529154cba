import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Artifact } from '../schema/index.js';
import { SqliteStore } from '../store/index.js';
import { applyPolicy, jobPolicy, requiredReviewers } from './index.js';

const artifact = (path: string, verdicts: ('pass' | 'review' | 'fail')[]): Artifact => ({
  path,
  kind: 'output',
  size: 1,
  sha256: '0'.repeat(64),
  status: 'pending',
  findings: verdicts.map(verdict => ({ check: 'test', verdict, reason: verdict }))
});

describe('release policies', () => {
  it('auto releases only artifacts whose findings all pass', () => {
    const out = applyPolicy('auto', [
      artifact('ok.csv', ['pass', 'pass']),
      artifact('flagged.csv', ['pass', 'review']),
      artifact('unchecked.bin', [])
    ]);
    assert.equal(out.state, 'released');
    assert.deepEqual(
      out.artifacts.map(a => [a.path, a.status]),
      [
        ['ok.csv', 'released'],
        ['flagged.csv', 'withheld'],
        ['unchecked.bin', 'withheld']
      ]
    );
  });

  it('one, two and review hold everything pending for checkers, even what passed', () => {
    for (const policy of ['one', 'two', 'review'] as const) {
      const out = applyPolicy(policy, [artifact('ok.csv', ['pass'])]);
      assert.equal(out.state, 'awaiting_review', policy);
      assert.equal(out.artifacts[0].status, 'pending', policy);
    }
  });

  it('review is recorded as one; two needs two checkers', () => {
    assert.equal(jobPolicy('review'), 'one');
    assert.deepEqual((['auto', 'one', 'two'] as const).map(requiredReviewers), [0, 1, 2]);
  });

  it('a job keeps the policy it was first recorded with', () => {
    const store = new SqliteStore(':memory:');
    store.createJob({
      id: 'j1',
      owner: 'researcher',
      created_at: new Date().toISOString(),
      manifest: { notebook: 'a.ipynb', study: 'demo' }
    });
    assert.equal(store.policy('j1'), undefined);
    assert.equal(store.recordPolicy('j1', 'two'), 'two');
    // The admin switches the config to one; the waiting job still needs two.
    assert.equal(store.recordPolicy('j1', 'one'), 'two');
    assert.equal(store.policy('j1'), 'two');
    store.close();
  });
});
