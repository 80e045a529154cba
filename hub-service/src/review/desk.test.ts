import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { AuditLog } from '../audit/index.js';
import { HBrokerError } from '../errors.js';
import { JobJournal } from '../jobs/journal.js';
import { jobView } from '../jobs/view.js';
import { Metrics } from '../metrics.js';
import type { Artifact, ReleasePolicy } from '../schema/index.js';
import { deriveFile } from '../release/index.js';
import { SqliteStore } from '../store/index.js';
import { checkResubmission, ReviewDesk } from './index.js';

const outputs = mkdtempSync(join(tmpdir(), 'hbroker-review-'));
const metrics = new Metrics();
after(() => rmSync(outputs, { recursive: true, force: true }));

const artifact = (path: string): Artifact => ({
  path,
  kind: 'output',
  size: 2,
  // What release writes of the stored file "ok" (text files are written back as they are).
  sha256: createHash('sha256').update('ok').digest('hex'),
  status: 'pending',
  findings: [{ check: 'type', verdict: 'review', reason: 'always reviewed' }]
});

function setup(policy: ReleasePolicy) {
  const store = new SqliteStore(':memory:');
  const journal = new JobJournal(store, new AuditLog(store), metrics);
  const job = (id: string, owner: string) => {
    journal.create(
      {
        id,
        owner,
        created_at: new Date().toISOString(),
        manifest: { notebook: 'a.ipynb', study: 'demo' }
      },
      {}
    );
    for (const state of ['archived', 'building', 'staging', 'running', 'checking'] as const) {
      journal.transition(id, state);
    }
    store.recordPolicy(id, policy);
    store.saveArtifacts(id, [artifact('ok.txt'), artifact('bad.txt')]);
    mkdirSync(join(outputs, id), { recursive: true });
    writeFileSync(join(outputs, id, 'ok.txt'), 'ok');
    journal.transition(id, 'awaiting_review');
  };
  const desk = new ReviewDesk(journal, id => join(outputs, id));
  return { store, journal, job, desk };
}

const decisions = (ok: 'approve' | 'reject', bad: 'approve' | 'reject', comment?: string) => ({
  decisions: [
    { path: 'ok.txt', decision: ok },
    { path: 'bad.txt', decision: bad, ...(comment ? { comment, visibility: 'author' } : {}) }
  ]
});

const refusal = (status: number, code: string) => (e: unknown) =>
  e instanceof HBrokerError && e.status === status && e.code === code;

describe('the review desk', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(() => {
    s = setup('two');
    s.job('j1', 'researcher');
  });

  it('queues jobs for checkers but never their own', () => {
    s.job('j2', 'checker2');
    assert.deepEqual(
      s.desk.queue('checker1').jobs.map(j => [j.id, j.release_policy, j.artifacts, j.flagged]),
      [
        ['j1', 'two', 2, 2],
        ['j2', 'two', 2, 2]
      ]
    );
    assert.deepEqual(
      s.desk.queue('checker2').jobs.map(j => j.id),
      ['j1']
    );
    assert.throws(() => s.desk.view('j2', 'checker2'), refusal(403, 'own_job'));
    assert.throws(
      () => s.desk.submit('j2', 'checker2', decisions('approve', 'approve')),
      /authors never review/
    );
  });

  it('keeps the second checker blind to the first until both are in, then decides', () => {
    s.desk.submit('j1', 'checker1', decisions('approve', 'reject', 'Counts under 10.'));
    const second = s.desk.view('j1', 'checker2');
    assert.equal(second.blinded, true);
    assert.deepEqual(second.others, []);
    assert.equal(second.job.state, 'awaiting_review');
    assert.equal(s.desk.queue('checker1').jobs[0].reviewed_by_you, true);
    assert.equal(s.desk.queue('checker2').jobs[0].reviewed_by_you, false);

    const after = s.desk.submit('j1', 'checker2', decisions('approve', 'approve'));
    assert.equal(after.blinded, false);
    assert.equal(after.others.length, 1);
    assert.equal(after.job.state, 'released');
    const job = jobView(s.store, s.store.job('j1')!);
    assert.deepEqual(
      job.artifacts.map(a => [a.path, a.status]),
      [
        ['bad.txt', 'withheld'],
        ['ok.txt', 'released']
      ]
    );
    assert.match(job.reason!, /disagreed on "bad.txt"/);
    assert.deepEqual(job.feedback!.comments, [
      { path: 'bad.txt', decision: 'reject', comment: 'Counts under 10.' }
    ]);
    assert.throws(
      () => s.desk.submit('j1', 'checker1', decisions('approve', 'approve')),
      refusal(409, 'review_closed')
    );
    const actions = s.store
      .audit()
      .filter(e => e.job_id === 'j1')
      .map(e => `${e.actor} ${e.action}`);
    assert.deepEqual(actions.slice(-4), [
      'checker1 review.submit',
      'checker2 review.submit',
      'hbroker review.decided',
      'hbroker job.state'
    ]);
  });

  it('refuses a review that leaves an artifact undecided or names one twice', () => {
    assert.throws(
      () =>
        s.desk.submit('j1', 'checker1', { decisions: [{ path: 'ok.txt', decision: 'approve' }] }),
      (e: unknown) =>
        e instanceof HBrokerError &&
        e.code === 'incomplete_review' &&
        /"bad.txt" has no decision/.test(e.message)
    );
    assert.throws(
      () => s.desk.submit('j1', 'checker1', { decisions: [], return: { changes: 'x' } }),
      refusal(400, 'invalid_input')
    );
    assert.equal(s.store.reviews('j1').length, 0);
  });

  it('previews content to checkers only while the job awaits review, and audits each view', () => {
    const { served } = s.desk.preview('j1', 'ok.txt', 'checker1');
    assert.equal(served.body.toString(), 'ok');
    assert.throws(() => s.desk.preview('j1', 'ok.txt', 'researcher'), refusal(403, 'own_job'));
    assert.throws(() => s.desk.preview('j1', 'nope.txt', 'checker1'), refusal(404, 'not_found'));
    assert.equal(s.store.audit().filter(e => e.action === 'review.view').length, 1);
    s.desk.submit('j1', 'checker1', decisions('approve', 'reject'));
    s.desk.submit('j1', 'checker2', decisions('approve', 'reject'));
    assert.throws(() => s.desk.preview('j1', 'ok.txt', 'checker1'), /is decided \(released\)/);
  });

  it('has no preview of a file whose content does not match its name: it can never leave', () => {
    // A pickle saved as .txt, failed by the release check when vetted.
    writeFileSync(join(outputs, 'j1', 'bad.txt'), Buffer.from([0x80, 0x05, 0x95, 1, 2]));
    s.store.saveArtifacts('j1', [
      artifact('ok.txt'),
      {
        ...artifact('bad.txt'),
        findings: [{ check: 'release', verdict: 'fail', reason: 'a Python pickle, not text' }]
      }
    ]);
    assert.throws(
      () => s.desk.preview('j1', 'bad.txt', 'checker1'),
      (e: unknown) =>
        refusal(409, 'not_releasable')(e) && /can never leave|would never send it/.test(String(e))
    );
  });

  it('approves an image only after this checker previewed it; rejecting needs no look', () => {
    s = setup('one');
    s.job('j1', 'researcher');
    // A real picture, hashed as release writes it again (a preview is served only then).
    const png = new PNG({ width: 1, height: 1 });
    const pngBytes = PNG.sync.write(png);
    const sha256 = createHash('sha256')
      .update(deriveFile('plot.png', pngBytes).bytes)
      .digest('hex');
    const plot: Artifact = { ...artifact('plot.png'), sha256 };
    s.store.saveArtifacts('j1', [artifact('ok.txt'), artifact('bad.txt'), plot]);
    writeFileSync(join(outputs, 'j1', 'plot.png'), pngBytes);
    const approveAll = {
      decisions: [
        { path: 'ok.txt', decision: 'approve' },
        { path: 'bad.txt', decision: 'reject' },
        { path: 'plot.png', decision: 'approve' }
      ]
    };
    assert.throws(
      () => s.desk.submit('j1', 'checker1', approveAll),
      (e: unknown) =>
        e instanceof HBrokerError &&
        e.code === 'not_looked_at' &&
        /^Look at plot\.png before approving: an image or a log is approved only by a checker who previewed it/.test(
          e.message
        )
    );
    // Another checker's look does not count for this one.
    s.desk.preview('j1', 'plot.png', 'checker2');
    assert.throws(() => s.desk.submit('j1', 'checker1', approveAll), refusal(400, 'not_looked_at'));
    s.desk.preview('j1', 'plot.png', 'checker1');
    s.desk.submit('j1', 'checker1', approveAll);
    assert.equal(s.journal.state('j1'), 'released');
  });

  it('a return ends the job rejected with the changes for the author; a resubmission links to it', () => {
    s = setup('one');
    s.job('j1', 'researcher');
    s.desk.submit('j1', 'checker1', { return: { changes: 'Aggregate by week.' } });
    const job = jobView(s.store, s.store.job('j1')!);
    assert.equal(job.state, 'rejected');
    assert.deepEqual(job.feedback, {
      outcome: 'returned',
      requested_changes: ['Aggregate by week.'],
      comments: []
    });
    const manifest = { notebook: 'a.ipynb', study: 'demo', resubmission_of: 'j1' };
    checkResubmission(s.store, manifest, 'researcher');
    assert.throws(
      () => checkResubmission(s.store, manifest, 'researcher2'),
      /not one of your jobs/
    );
    s.job('j2', 'researcher');
    assert.throws(
      () => checkResubmission(s.store, { ...manifest, resubmission_of: 'j2' }, 'researcher'),
      /j2 is awaiting_review; only a job that output checking returned or rejected/
    );
  });

  it('a job waits under the policy it entered checking with', () => {
    s = setup('two');
    s.job('j1', 'researcher');
    // The admin now configures one; the job still needs a second checker.
    s.store.recordPolicy('j1', 'one');
    s.desk.submit('j1', 'checker1', decisions('approve', 'approve'));
    assert.equal(s.journal.state('j1'), 'awaiting_review');
  });
});
