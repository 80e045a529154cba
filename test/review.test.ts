// Human review against a real JupyterHub under the `two` policy: two blinded checkers, authors never
// review their own jobs, nothing unapproved leaves by any endpoint, returns and resubmissions, the audit.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isTerminal } from '../hub-service/src/jobs/states.js';
import type {
  Job,
  ReviewDecision,
  ReviewQueue,
  ReviewView
} from '../hub-service/src/schema/index.js';
import { startHub, type IHub } from './support/hub.js';
import { file, notebook, submission } from './support/notebook.js';

const users = ['researcher', 'researcher2', 'checker1', 'checker2', 'admin'] as const;
type User = (typeof users)[number];

// Cell 3 prints what the checkers approve, cell 4 what one of them rejects.
const analysis = notebook(
  'with open("keep.txt", "w") as f:\n    f.write("weekly mean 72\\n")',
  'with open("drop.txt", "w") as f:\n    f.write("DROPPED-FILE-CONTENT\\n")',
  'print("an approved line")',
  'print("DROPPED-CELL-OUTPUT")'
);
const rejectedCell = 'analysis.ipynb/cells/3/outputs/0';
const authorComment = 'This file lists too much detail; aggregate it.';
const checkersComment = 'CHECKERS-ONLY: fine by me.';

describe('output review inside JupyterHub (policy two)', () => {
  let hub: IHub;
  const tokens = {} as Record<User, string>;
  const jobs = {} as Record<'released' | 'returned' | 'byChecker', string>;
  const api = (who: User, path: string, init: RequestInit = {}) =>
    fetch(`${hub.serviceUrl}/api/v1${path}`, {
      ...init,
      headers: {
        Authorization: `token ${tokens[who]}`,
        'Content-Type': 'application/json',
        ...(init.headers ?? {})
      }
    });
  const review = (who: User, id: string, body: unknown) =>
    api(who, `/jobs/${id}/reviews`, { method: 'POST', body: JSON.stringify(body) });
  const submit = async (who: User, manifest: Record<string, unknown> = {}) => {
    const r = await api(who, '/jobs', {
      method: 'POST',
      body: JSON.stringify(
        await submission([file('analysis.ipynb', analysis)], {
          outputs: ['keep.txt', 'drop.txt'],
          ...manifest
        })
      )
    });
    return { status: r.status, body: await r.json() };
  };
  const awaitingReview = async (who: User, id: string): Promise<Job> => {
    for (let i = 0; i < 1200; i++) {
      const job = (await (await api(who, `/jobs/${id}`)).json()) as Job;
      assert.ok(!isTerminal(job.state), `job ${id} ended ${job.state}: ${job.reason}`);
      if (job.state === 'awaiting_review') {
        return job;
      }
      await new Promise(r => setTimeout(r, 250));
    }
    throw new Error(`job ${id} never reached awaiting_review`);
  };
  /** Approves every artifact except those named, which are rejected. */
  const decisions = (view: ReviewView, reject: string[], comments = false): ReviewDecision[] =>
    view.job.artifacts.map(a => {
      const rejected = reject.includes(a.path);
      return {
        path: a.path,
        decision: rejected ? 'reject' : 'approve',
        visibility: rejected ? 'author' : 'checkers',
        ...(comments ? { comment: rejected ? authorComment : checkersComment } : {})
      };
    });
  /** Every way a user might get an artifact's content: outputs listing and download, the notebook, review. */
  const reachable = async (who: User, id: string, path: string): Promise<string[]> => {
    const found: string[] = [];
    const listing = await api(who, `/jobs/${id}/outputs`);
    if (listing.ok && JSON.stringify(await listing.json()).includes(`"${path}"`)) {
      found.push('listed');
    }
    if ((await api(who, `/jobs/${id}/outputs/${path}`)).status !== 404) {
      found.push('download');
    }
    if ((await api(who, `/jobs/${id}/review/artifacts/${path}`)).ok) {
      found.push('review preview');
    }
    return found;
  };

  before(async () => {
    hub = await startHub({ releasePolicy: 'two', submitters: ['checker2'] });
    for (const user of users) {
      tokens[user] = (await hub.tokenFor(user)).token;
    }
    const submitted = await Promise.all([
      submit('researcher'),
      submit('researcher'),
      submit('checker2')
    ]);
    for (const s of submitted) {
      assert.equal(s.status, 201, JSON.stringify(s.body));
    }
    [jobs.released, jobs.returned, jobs.byChecker] = submitted.map(s => s.body.id as string);
    await awaitingReview('researcher', jobs.released);
    await awaitingReview('researcher', jobs.returned);
    await awaitingReview('checker2', jobs.byChecker);
  });
  after(async () => {
    await hub?.stop();
  });

  it('keeps researchers out of every review route (403 naming the scope)', async () => {
    for (const who of ['researcher', 'researcher2'] as const) {
      for (const r of [
        await api(who, '/reviews'),
        await api(who, `/jobs/${jobs.released}/review`),
        await api(who, `/jobs/${jobs.released}/review/artifacts/keep.txt`),
        await review(who, jobs.released, { return: { changes: 'x' } })
      ]) {
        assert.equal(r.status, 403);
        assert.match((await r.json()).error.message, /lacks the scope custom:hbroker:review/);
      }
    }
  });

  it('never lets an author review their own job, and never queues it for them', async () => {
    const view = await api('checker2', `/jobs/${jobs.byChecker}/review`);
    assert.equal(view.status, 403);
    assert.match((await view.json()).error.message, /authors never review their own jobs/);
    const post = await review('checker2', jobs.byChecker, { return: { changes: 'x' } });
    assert.equal(post.status, 403);
    assert.equal((await post.json()).error.code, 'own_job');
    const queue = async (who: User) =>
      ((await (await api(who, '/reviews')).json()) as ReviewQueue).jobs.map(j => j.id);
    assert.ok(!(await queue('checker2')).includes(jobs.byChecker));
    assert.ok((await queue('checker2')).includes(jobs.released));
    assert.ok((await queue('checker1')).includes(jobs.byChecker));
  });

  it('shows pending outputs to checkers only, and to no one else by any endpoint', async () => {
    const preview = await api('checker1', `/jobs/${jobs.released}/review/artifacts/drop.txt`);
    assert.equal(preview.status, 200);
    assert.equal(preview.headers.get('cache-control'), 'no-store');
    assert.equal(await preview.text(), 'DROPPED-FILE-CONTENT\n');
    const cell = await api('checker1', `/jobs/${jobs.released}/review/artifacts/${rejectedCell}`);
    assert.match(await cell.text(), /DROPPED-CELL-OUTPUT/);
    for (const who of users) {
      for (const path of ['keep.txt', 'drop.txt', 'analysis.ipynb', rejectedCell]) {
        const found = (await reachable(who, jobs.released, path)).filter(
          how => how !== 'review preview'
        );
        assert.deepEqual(found, [], `${who} reaches ${path} while it awaits review`);
      }
    }
  });

  it('keeps two checkers blind to each other until both are in, then decides per artifact', async () => {
    const id = jobs.released;
    const first = (await (await api('checker1', `/jobs/${id}/review`)).json()) as ReviewView;
    assert.equal(first.required_reviewers, 2);
    assert.ok(first.job.artifacts.some(a => a.path === rejectedCell));
    // checker1 first approves everything, then changes their mind: the later review counts.
    assert.equal((await review('checker1', id, { decisions: decisions(first, []) })).status, 201);
    const revised = await review('checker1', id, {
      decisions: decisions(first, ['drop.txt', rejectedCell], true)
    });
    assert.equal(revised.status, 201);
    assert.equal(((await revised.json()) as ReviewView).job.state, 'awaiting_review');

    const blind = await (await api('checker2', `/jobs/${id}/review`)).text();
    const blindView = JSON.parse(blind) as ReviewView;
    assert.equal(blindView.blinded, true);
    assert.deepEqual(blindView.others, []);
    assert.doesNotMatch(blind, /CHECKERS-ONLY|aggregate it/);
    assert.doesNotMatch(
      await (await api('checker2', '/reviews')).text(),
      /CHECKERS-ONLY|aggregate/
    );
    assert.equal((await api('checker2', `/jobs/${id}`)).status, 404);
    const authorView = await (await api('researcher', `/jobs/${id}`)).text();
    assert.doesNotMatch(authorView, /CHECKERS-ONLY|aggregate it/);

    // checker2 approves all but the cell: drop.txt is a disagreement and stays withheld.
    const second = await review('checker2', id, {
      decisions: decisions(blindView, [rejectedCell])
    });
    assert.equal(second.status, 201);
    const decided = (await second.json()) as ReviewView;
    assert.equal(decided.job.state, 'released');
    assert.equal(decided.blinded, false);
    assert.deepEqual(
      decided.others.map(r => r.reviewer),
      ['checker1', 'checker1']
    );
    assert.match(decided.job.reason!, /Checkers disagreed on "drop.txt", so it stays withheld/);
    assert.equal((await review('checker1', id, { return: { changes: 'x' } })).status, 409);
  });

  it('gives the author only what both approved; the rest leaves by no endpoint, for anyone', async () => {
    const id = jobs.released;
    const job = (await (await api('researcher', `/jobs/${id}`)).json()) as Job;
    assert.equal(job.state, 'released');
    assert.deepEqual(job.feedback!.comments, [
      { path: rejectedCell, decision: 'reject', comment: authorComment },
      { path: 'drop.txt', decision: 'reject', comment: authorComment }
    ]);
    assert.doesNotMatch(JSON.stringify(job.feedback), /CHECKERS-ONLY/);
    const listed = (await (await api('researcher', `/jobs/${id}/outputs`)).json()).outputs.map(
      (a: { path: string }) => a.path
    );
    assert.ok(listed.includes('keep.txt'));
    assert.ok(!listed.includes('drop.txt'));
    assert.ok(!listed.includes(rejectedCell));
    const keep = await api('researcher', `/jobs/${id}/outputs/keep.txt`);
    assert.equal(await keep.text(), 'weekly mean 72\n');
    const nb = await (await api('researcher', `/jobs/${id}/outputs/analysis.ipynb`)).json();
    const outputs = (cell: number) => JSON.stringify(nb.cells[cell].outputs);
    assert.match(outputs(2), /an approved line/);
    assert.doesNotMatch(outputs(3), /DROPPED-CELL-OUTPUT/);
    assert.match(outputs(3), /this output was not released by output checking/);
    for (const who of users) {
      for (const path of ['drop.txt', rejectedCell]) {
        assert.deepEqual(await reachable(who, id, path), [], `${who} reaches ${path}`);
      }
    }
  });

  it("returns a job with the checkers' requested changes; a resubmission links to it", async () => {
    const id = jobs.returned;
    const view = (await (await api('checker1', `/jobs/${id}/review`)).json()) as ReviewView;
    const changes = 'Report weekly means only, with counts rounded to 5.';
    assert.equal((await review('checker1', id, { return: { changes } })).status, 201);
    assert.equal(
      (await review('admin', id, { decisions: decisions(view, []) })).status,
      201,
      'admin holds the review scope in this hub'
    );
    const job = (await (await api('researcher', `/jobs/${id}`)).json()) as Job;
    assert.equal(job.state, 'rejected');
    assert.match(job.reason!, /Returned to the author with requested changes/);
    assert.deepEqual(job.feedback, {
      outcome: 'returned',
      requested_changes: [changes],
      comments: []
    });
    for (const path of ['keep.txt', 'analysis.ipynb']) {
      assert.deepEqual(await reachable('researcher', id, path), []);
    }

    const foreign = await submit('researcher2', { resubmission_of: id });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.error.code, 'invalid_resubmission');
    const ofReleased = await submit('researcher', { resubmission_of: jobs.released });
    assert.equal(ofReleased.status, 400);
    const again = await submit('researcher', { resubmission_of: id });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.manifest.resubmission_of, id);
    await api('researcher', `/jobs/${again.body.id}/cancel`, { method: 'POST' });
  });

  it('puts every review, preview and decision in the audit log', () => {
    const db = new Database(join(hub.stateDir, 'hbroker.sqlite'), { readonly: true });
    const entries = db
      .prepare("SELECT actor, action, job_id, detail FROM audit WHERE action LIKE 'review.%'")
      .all() as { actor: string; action: string; job_id: string; detail: string }[];
    db.close();
    const of = (id: string) =>
      entries.filter(e => e.job_id === id).map(e => `${e.actor} ${e.action}`);
    assert.deepEqual(
      of(jobs.released).filter(e => !e.endsWith('review.view')),
      [
        'checker1 review.submit',
        'checker1 review.submit',
        'checker2 review.submit',
        'hbroker review.decided'
      ]
    );
    assert.ok(of(jobs.released).includes('checker1 review.view'));
    assert.deepEqual(of(jobs.returned), [
      'checker1 review.submit',
      'admin review.submit',
      'hbroker review.decided'
    ]);
    const decided = JSON.parse(
      entries.find(e => e.job_id === jobs.released && e.action === 'review.decided')!.detail
    );
    assert.deepEqual(decided.disagreed, ['drop.txt']);
    assert.ok(decided.released.includes('keep.txt'));
    assert.deepEqual(decided.withheld.sort(), [rejectedCell, 'drop.txt'].sort());
    // Comments stay in the reviews, not the audit (they may quote an output).
    assert.doesNotMatch(JSON.stringify(entries), /CHECKERS-ONLY|aggregate it/);
  });
});
