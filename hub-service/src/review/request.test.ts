import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { AuditLog } from '../audit/index.js';
import { HBrokerError } from '../errors.js';
import { JobJournal } from '../jobs/journal.js';
import { jobView } from '../jobs/view.js';
import { Metrics } from '../metrics.js';
import type { Artifact, Finding } from '../schema/index.js';
import { deriveFile } from '../release/index.js';
import { SqliteStore } from '../store/index.js';
import { askForChecker, ReviewDesk } from './index.js';

const outputs = mkdtempSync(join(tmpdir(), 'hbroker-ask-'));
after(() => rmSync(outputs, { recursive: true, force: true }));

const finding = (verdict: Finding['verdict']): Finding => ({
  check: 'tables',
  verdict,
  reason:
    verdict === 'pass' ? 'A frequency table.' : 'A magnitude table: a checker must confirm it.'
});
const artifact = (path: string, status: Artifact['status'], verdict: Finding['verdict']) => ({
  path,
  kind: 'output' as const,
  size: 2,
  sha256: '0'.repeat(64),
  status,
  findings: [finding(verdict)]
});

/** A job released under auto: counts.csv passed, means.csv and plot.png wait for a checker, bad.csv failed. */
function released(policy: 'auto' | 'one' = 'auto') {
  const store = new SqliteStore(':memory:');
  const journal = new JobJournal(store, new AuditLog(store), new Metrics());
  journal.create(
    {
      id: 'j1',
      owner: 'researcher',
      created_at: new Date().toISOString(),
      manifest: {
        notebook: 'a.ipynb',
        study: 'demo',
        outputs: ['counts.csv', 'means.csv', 'plot.png', 'bad.csv']
      }
    },
    {}
  );
  for (const state of ['archived', 'building', 'staging', 'running', 'checking'] as const) {
    journal.transition('j1', state);
  }
  store.recordPolicy('j1', policy);
  // A preview is served only when what release writes again hashes as vetted.
  const means = 'week,mean\n1,70\n';
  const meansSha = createHash('sha256')
    .update(deriveFile('means.csv', Buffer.from(means)).bytes)
    .digest('hex');
  store.saveArtifacts('j1', [
    artifact('counts.csv', 'released', 'pass'),
    { ...artifact('means.csv', 'withheld', 'review'), sha256: meansSha },
    artifact('plot.png', 'withheld', 'review'),
    artifact('bad.csv', 'withheld', 'fail')
  ]);
  mkdirSync(join(outputs, 'j1'), { recursive: true });
  writeFileSync(join(outputs, 'j1', 'means.csv'), means);
  journal.transition('j1', policy === 'auto' ? 'released' : 'awaiting_review');
  const desk = new ReviewDesk(journal, id => join(outputs, id));
  return { store, journal, desk, record: store.job('j1')! };
}

const refused = (code: string, message: RegExp) => (e: unknown) =>
  e instanceof HBrokerError && e.code === code && message.test(e.message);

describe('ask for a checker', () => {
  let s: ReturnType<typeof released>;
  beforeEach(() => {
    s = released();
  });

  it("puts the asked outputs in checkers' queues, with the note, and decides them under the one rules", () => {
    assert.deepEqual(s.desk.queue('checker1').jobs, []);
    askForChecker(s.journal, s.record, 'researcher', {
      paths: ['means.csv'],
      note: 'Weekly means over 40 people each.'
    });
    const before = jobView(s.store, s.record).outcome!;
    assert.equal(before.requested[1].review_request, 'open');
    assert.match(before.summary, /waits for the checker you asked/);

    const [queued] = s.desk.queue('checker1').jobs;
    assert.deepEqual([queued.id, queued.artifacts], ['j1', 1]);
    assert.equal(queued.review_request?.note, 'Weekly means over 40 people each.');
    assert.deepEqual(s.desk.queue('researcher').jobs, [], 'never the author');

    const view = s.desk.view('j1', 'checker1');
    assert.equal(view.required_reviewers, 1);
    assert.deepEqual(
      view.job.artifacts.map(a => a.path),
      ['means.csv'],
      'only what was asked about'
    );
    assert.equal(
      String(s.desk.preview('j1', 'means.csv', 'checker1').served.body),
      'week,mean\n1,70\n'
    );
    assert.throws(() => s.desk.preview('j1', 'plot.png', 'checker1'), /no longer shown/);
    assert.throws(() => s.desk.view('j1', 'researcher'), refused('own_job', /never review/));
    assert.throws(
      () => s.desk.submit('j1', 'checker1', { return: { changes: 'x' } }),
      /cannot be returned/
    );
    assert.throws(
      () =>
        s.desk.submit('j1', 'checker1', {
          decisions: [{ path: 'plot.png', decision: 'approve' }]
        }),
      refused('incomplete_review', /"plot.png" is not an artifact of this job/)
    );

    s.desk.submit('j1', 'checker1', {
      decisions: [
        { path: 'means.csv', decision: 'approve', comment: 'Fine.', visibility: 'author' }
      ]
    });
    const job = jobView(s.store, s.record);
    assert.equal(job.state, 'released');
    assert.deepEqual(
      job.artifacts.map(a => [a.path, a.status]),
      [
        ['bad.csv', 'withheld'],
        ['counts.csv', 'released'],
        ['means.csv', 'released'],
        ['plot.png', 'withheld']
      ]
    );
    assert.equal(job.outcome!.requested[1].review_request, 'approved');
    assert.equal(
      job.outcome!.summary,
      '2 of 4 requested outputs released, 2 withheld (1 needs a checker, 1 failed a check)'
    );
    assert.deepEqual(job.feedback?.comments, [
      { path: 'means.csv', decision: 'approve', comment: 'Fine.' }
    ]);
    assert.deepEqual(s.desk.queue('checker1').jobs, [], 'answered requests leave the queue');
    assert.deepEqual(
      s.store
        .audit()
        .map(e => `${e.actor} ${e.action}`)
        .slice(-4),
      [
        'researcher review.request',
        'checker1 review.view',
        'checker1 review.submit',
        'hbroker review.decided'
      ]
    );
  });

  it('refuses what a checker cannot or need not decide, and anyone but the author', () => {
    const ask = (paths: string[], user = 'researcher') =>
      askForChecker(s.journal, s.record, user, { paths });
    assert.throws(
      () => ask(['means.csv'], 'researcher2'),
      refused('not_author', /Only the author/)
    );
    assert.throws(() => ask(['counts.csv']), refused('cannot_ask_checker', /already released/));
    assert.throws(
      () => ask(['bad.csv']),
      refused('cannot_ask_checker', /failed an automatic check/)
    );
    assert.throws(() => ask(['nope.csv']), refused('cannot_ask_checker', /not an output/));
    assert.throws(() => ask([]), refused('invalid_input', /paths/));
    ask(['plot.png']);
    assert.throws(() => ask(['plot.png']), refused('cannot_ask_checker', /already sent/));
    assert.equal(s.store.reviewRequests('j1').length, 1);

    const held = released('one');
    assert.throws(
      () => askForChecker(held.journal, held.record, 'researcher', { paths: ['means.csv'] }),
      refused('not_withheld_for_review', /already waits for an output checker/)
    );
  });
});
