import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Artifact, Finding, Review } from '../schema/index.js';
import { groupFindings } from './findings.js';
import { jobOutcome } from './outcome.js';

const finding = (
  check: string,
  verdict: Finding['verdict'],
  reason: string,
  row?: number
): Finding => ({
  check,
  verdict,
  reason,
  ...(row === undefined ? {} : { location: { file: 'x', row } }),
  mitigations: [{ action: 'remove', detail: `advice of ${check}` }]
});

const artifact = (
  path: string,
  status: Artifact['status'],
  findings: Finding[] = [],
  kind: Artifact['kind'] = 'output'
): Artifact => ({ path, kind, size: 1, sha256: '0'.repeat(64), status, findings });

const needsChecker = [finding('tables', 'review', 'A magnitude table: a checker must confirm it.')];
const failed = [finding('identifiers', 'fail', 'An identifier appears here.', 2)];
const manifest = (outputs: string[]) => ({ notebook: 'a.ipynb', study: 'demo', outputs });

describe('job outcome', () => {
  it('says how many requested outputs were released and why the rest were withheld', () => {
    const outcome = jobOutcome({
      state: 'released',
      manifest: manifest(['a.csv', 'b.csv', 'plot.png']),
      artifacts: [
        artifact('a.csv', 'released'),
        artifact('b.csv', 'released'),
        artifact('plot.png', 'withheld', needsChecker),
        artifact('a.ipynb/cells/1/outputs/0', 'withheld', needsChecker, 'cell_output')
      ]
    })!;
    assert.equal(
      outcome.summary,
      '2 of 3 requested outputs released, 1 withheld (needs a checker)'
    );
    assert.equal(outcome.tone, 'partial');
    assert.deepEqual(
      outcome.requested.map(r => [r.path, r.status, r.needs]),
      [
        ['a.csv', 'released', undefined],
        ['b.csv', 'released', undefined],
        ['plot.png', 'withheld', 'checker']
      ]
    );
    assert.deepEqual(outcome.other, { released: 0, withheld: 1 });
  });

  it('never calls a job that released none of the requested outputs a success', () => {
    const outcome = jobOutcome({
      state: 'released',
      manifest: manifest(['a.csv', 'b.csv', 'c.csv']),
      artifacts: [
        artifact('a.csv', 'withheld', needsChecker),
        artifact('b.csv', 'withheld', failed),
        artifact('a.ipynb', 'released', [], 'notebook')
      ]
    })!;
    assert.equal(outcome.tone, 'none');
    assert.equal(
      outcome.summary,
      'None of the 3 requested outputs released: 2 withheld (1 needs a checker, 1 failed a check), 1 not written'
    );
  });

  it('makes a requested output that was not written a finding the author can act on', () => {
    const outcome = jobOutcome({
      state: 'released',
      manifest: manifest(['./results/', 'summary.csv']),
      artifacts: [artifact('results/x.csv', 'released')]
    })!;
    const missing = outcome.requested.find(r => r.path === 'summary.csv')!;
    assert.equal(missing.status, 'missing');
    assert.equal(missing.findings[0].verdict, 'fail');
    assert.match(missing.findings[0].reason, /did not write "summary.csv"/);
    assert.match(missing.findings[0].mitigations[0].detail, /to_csv\("summary.csv"\)/);
    assert.equal(outcome.requested[0].status, 'released', 'a folder stands for its files');
    assert.equal(outcome.summary, '1 of 2 requested outputs released, 1 not written');
  });

  it('counts what waits for a checker, and what a checker decided on request', () => {
    const waiting = jobOutcome({
      state: 'awaiting_review',
      manifest: manifest(['a.csv']),
      artifacts: [artifact('a.csv', 'pending')]
    })!;
    assert.equal(waiting.tone, 'pending');
    assert.equal(waiting.summary, '1 of 1 requested output waits for an output checker');

    const request = {
      job_id: 'j',
      seq: 1,
      requested_by: 'researcher',
      at: new Date().toISOString(),
      paths: ['a.csv'],
      note: 'weekly means',
      after_review: 0
    };
    const asked = jobOutcome({
      state: 'released',
      manifest: manifest(['a.csv']),
      artifacts: [artifact('a.csv', 'withheld', needsChecker)],
      reviewRequests: [request]
    })!;
    assert.equal(asked.requested[0].review_request, 'open');
    assert.equal(
      asked.summary,
      'The requested output was not released: 1 withheld (waits for the checker you asked)'
    );

    const review: Review = {
      job_id: 'j',
      seq: 1,
      reviewer: 'checker1',
      at: new Date().toISOString(),
      decisions: [{ path: 'a.csv', decision: 'approve', visibility: 'checkers' }]
    };
    const approved = jobOutcome({
      state: 'released',
      manifest: manifest(['a.csv']),
      artifacts: [artifact('a.csv', 'released', needsChecker)],
      reviewRequests: [request],
      reviews: [review]
    })!;
    assert.equal(approved.requested[0].review_request, 'approved');
    assert.equal(approved.tone, 'success');
  });

  it('speaks of the notebook outputs when no output file was requested', () => {
    const outcome = jobOutcome({
      state: 'released',
      manifest: manifest([]),
      artifacts: [
        artifact('a.ipynb/cells/1/outputs/0', 'released', [], 'cell_output'),
        artifact('a.ipynb/cells/2/outputs/0', 'withheld', needsChecker, 'cell_output')
      ]
    })!;
    assert.equal(
      outcome.summary,
      'No output files were requested; 1 of 2 notebook outputs released'
    );
    assert.equal(outcome.tone, 'partial');
  });

  it('has no outcome before vetting or for a failed run', () => {
    for (const state of ['running', 'run_failed'] as const) {
      assert.equal(jobOutcome({ state, manifest: manifest(['a.csv']), artifacts: [] }), undefined);
    }
  });
});

describe('finding groups', () => {
  it('says a repeated finding once, with the lines it is on', () => {
    const rows = [2, 6, 11, 14, 20, 21, 30, 31, 40];
    const groups = groupFindings(
      rows.map(r =>
        finding('identifiers', 'fail', 'An identifier from the staged data appears here.', r)
      )
    );
    assert.equal(groups.length, 1);
    assert.equal(groups[0].count, 9);
    assert.equal(
      groups[0].reason,
      'An identifier from the staged data appears (on 9 lines: 3, 7, 12, 15, 21, 22, 31, 32, …).'
    );
    assert.equal(groups[0].mitigations.length, 1, 'each advice once');
  });

  it('drops a table pass that raw records contradict, and lists fails before reviews', () => {
    const groups = groupFindings([
      finding('tables', 'pass', 'The table is a frequency table; every count is at least 10.'),
      finding('tables', 'review', 'Magnitude table.'),
      finding('raw-records', 'fail', '12 staged records appear as they are.')
    ]);
    assert.deepEqual(
      groups.map(g => [g.check, g.verdict]),
      [
        ['raw-records', 'fail'],
        ['tables', 'review']
      ]
    );
    const clean = groupFindings([
      finding('tables', 'pass', 'The table is a frequency table.'),
      finding('raw-records', 'pass', 'No staged record appears.')
    ]);
    assert.equal(clean.length, 2, 'nothing contradicts a pass when every check passed');
  });
});
