// A review service stand-in for the review model, sidebar and workspace: a job awaiting review
// with the given artifacts, their contents for previews, and what was previewed and sent.
import { TextDecoder, TextEncoder } from 'node:util';
import type { Artifact, HBrokerClient, ReviewSubmission, ReviewView } from '../request';

// jsdom lacks them; the browser has both.
Object.assign(globalThis, { TextDecoder, TextEncoder });

export const sha = '0'.repeat(64);

export const table: Artifact = {
  path: 'counts.csv',
  kind: 'output',
  size: 40,
  sha256: sha,
  status: 'pending',
  findings: [
    { check: 'tables', verdict: 'pass', reason: 'ok' },
    {
      check: 'tables',
      verdict: 'fail',
      reason: 'A count of 3 is under the minimum of 10.',
      location: { file: 'counts.csv', row: 1, column: '1' },
      mitigations: [{ action: 'suppress', detail: 'Suppress counts under 10.' }]
    }
  ]
};

export const log: Artifact = {
  path: 'stdout.txt',
  kind: 'log',
  size: 20,
  sha256: sha,
  status: 'pending',
  findings: [
    { check: 'identifiers', verdict: 'fail', reason: 'A patient id.', location: { row: 1 } }
  ]
};

export const bodies: Record<string, string> = {
  'counts.csv': 'week,count\nweek 1,40\nweek 2,3\n',
  'stdout.txt': 'starting\npatient p-0001\n'
};

export function reviewView(artifacts: Artifact[]): ReviewView {
  return {
    job: {
      id: 'j1',
      owner: 'researcher',
      state: 'awaiting_review',
      created_at: '2026-01-01T10:00:00Z',
      updated_at: '2026-01-01T10:01:00Z',
      manifest: { notebook: 'counts.ipynb', study: 'demo', justification: 'weekly counts' },
      artifacts
    },
    required_reviewers: 1,
    blinded: false,
    yours: [],
    others: []
  };
}

export function fakeReviewClient(
  view: ReviewView,
  options: { scopes?: string[]; reviewed?: boolean; failPreview?: string } = {}
) {
  const sent: ReviewSubmission[] = [];
  const previewed: string[] = [];
  let queue = [
    {
      id: view.job.id,
      owner: view.job.owner,
      created_at: view.job.created_at,
      study: view.job.manifest.study,
      notebook: view.job.manifest.notebook,
      release_policy: 'one' as const,
      artifacts: view.job.artifacts.length,
      flagged: view.job.artifacts.filter(a => a.findings.some(f => f.verdict !== 'pass')).length,
      reviewed_by_you: options.reviewed ?? false
    }
  ];
  const client = {
    me: async () => ({
      user: 'checker1',
      admin: false,
      scopes: options.scopes ?? ['custom:hbroker:review'],
      jhe_token: 'not_applicable'
    }),
    reviewQueue: async () => ({ jobs: queue }),
    review: async () => view,
    reviewArtifact: async (_id: string, path: string) => {
      previewed.push(path);
      if (path === options.failPreview) {
        throw new Error('The service did not answer; try again.');
      }
      return { type: 'text/plain', body: new TextEncoder().encode(bodies[path] ?? path).buffer };
    },
    submitReview: async (_id: string, body: ReviewSubmission) => {
      sent.push(body);
      queue = [];
      return view;
    }
  } as unknown as HBrokerClient;
  return { client, sent, previewed };
}
