// What happened to what the author asked for: each requested output released, withheld (and what it
// needs), waiting for a checker, or never written; one sentence and a tone for every surface.
// Browser-safe (generated types only): the lab extension and the CLI word outcomes with it too.
import type {
  Artifact,
  Finding,
  FindingGroup,
  JobManifest,
  JobOutcome,
  JobState,
  Review,
  ReviewRequest
} from '../generated/schema.js';
import { groupFindings } from './findings.js';

type Requested = JobOutcome['requested'][number];

export interface IOutcomeInput {
  state: JobState;
  manifest: JobManifest;
  artifacts: Artifact[];
  reviews?: Review[];
  reviewRequests?: ReviewRequest[];
}

/** States after vetting, where an outcome exists. */
const vettedStates = new Set<JobState>(['awaiting_review', 'released', 'rejected']);

/** "a/b/" and "./a/b" name the same output as "a/b". */
const normalise = (path: string) => path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** The finding for a requested output the run never wrote. */
export function missingFinding(path: string): Finding {
  return {
    check: 'requested-outputs',
    verdict: 'fail',
    reason: `The run did not write "${path}", which you asked for.`,
    mitigations: [
      {
        action: 'remove',
        detail: `Save it from the notebook under exactly that path, relative to the notebook's folder (e.g. df.to_csv("${path}")), or leave it out of the requested outputs.`
      }
    ]
  };
}

/** A request is open until a later review decides every path it names. */
export function openRequests(requests: ReviewRequest[], reviews: Review[]): ReviewRequest[] {
  return requests.filter(
    q =>
      !reviews.some(
        r => r.seq > q.after_review && q.paths.every(p => r.decisions?.some(d => d.path === p))
      )
  );
}

function requestState(
  paths: string[],
  input: IOutcomeInput
): Requested['review_request'] | undefined {
  const requests = (input.reviewRequests ?? []).filter(q => q.paths.some(p => paths.includes(p)));
  if (requests.length === 0) {
    return undefined;
  }
  if (openRequests(requests, input.reviews ?? []).length > 0) {
    return 'open';
  }
  return paths.some(p => rejectedByChecker(p, input)) ? 'rejected' : 'approved';
}

function rejectedByChecker(path: string, input: IOutcomeInput): boolean {
  return (input.reviews ?? []).some(
    r => r.return || r.decisions?.some(d => d.path === path && d.decision === 'reject')
  );
}

function groupsOf(artifacts: Artifact[]): FindingGroup[] {
  const several = artifacts.length > 1;
  return artifacts.flatMap(a =>
    groupFindings(a.findings.filter(f => f.verdict !== 'pass')).map(g =>
      several ? { ...g, reason: `${a.path}: ${g.reason}` } : g
    )
  );
}

/** One requested output's fate, from the artifacts it stands for. */
function fate(path: string, artifacts: Artifact[], input: IOutcomeInput): Requested {
  const paths = artifacts.map(a => a.path);
  const base = { path, artifacts: paths };
  if (artifacts.length === 0) {
    return {
      ...base,
      status: 'missing',
      needs: 'changes',
      why: `Not written: the run did not write "${path}".`,
      findings: groupFindings([missingFinding(path)])
    };
  }
  const findings = groupsOf(artifacts);
  const released = artifacts.filter(a => a.status === 'released').length;
  const request = requestState(paths, input);
  const asked = request ? { review_request: request } : {};
  if (released === artifacts.length) {
    return {
      ...base,
      ...asked,
      status: 'released',
      why: request ? 'Released: an output checker approved it.' : 'Released.',
      findings
    };
  }
  if (artifacts.some(a => a.status === 'pending')) {
    return { ...base, status: 'pending', why: 'Waits for an output checker.', findings };
  }
  const partly =
    artifacts.length > 1 ? `${released} of ${artifacts.length} of its files released. ` : '';
  const withheld = { ...base, status: 'withheld' as const, findings };
  if (paths.some(p => rejectedByChecker(p, input))) {
    return {
      ...withheld,
      ...asked,
      needs: 'changes',
      why: `${partly}Withheld: an output checker did not approve it.`
    };
  }
  if (findings.some(g => g.verdict === 'fail')) {
    return {
      ...withheld,
      ...asked,
      needs: 'changes',
      why: `${partly}Withheld: it failed an automatic check; change the notebook as advised and submit again.`
    };
  }
  return {
    ...withheld,
    ...asked,
    needs: 'checker',
    why:
      request === 'open'
        ? `${partly}Withheld until the output checker you asked decides.`
        : `${partly}Withheld: the automatic checks cannot decide it, so only an output checker can release it. Ask for a checker.`
  };
}

/** "1 needs a checker, 1 failed a check" or, when all agree, "needs a checker". */
function withheldWhy(requested: Requested[]): string {
  const withheld = requested.filter(r => r.status === 'withheld');
  const kinds: [number, string, string][] = [
    [
      withheld.filter(r => r.needs === 'checker' && r.review_request !== 'open').length,
      'needs a checker',
      'need a checker'
    ],
    [
      withheld.filter(r => r.review_request === 'open').length,
      'waits for the checker you asked',
      'wait for the checker you asked'
    ],
    [
      withheld.filter(r => r.needs === 'changes' && r.findings.some(f => f.verdict === 'fail'))
        .length,
      'failed a check',
      'failed a check'
    ]
  ];
  const present = kinds.filter(([n]) => n > 0);
  const checked = present.reduce((sum, [n]) => sum + n, 0);
  const rejected = withheld.length - checked;
  if (rejected > 0) {
    present.push([rejected, 'not approved by a checker', 'not approved by a checker']);
  }
  if (present.length === 1) {
    const [n, one, many] = present[0];
    return plural(n, one, many);
  }
  return present.map(([n, one, many]) => `${n} ${plural(n, one, many)}`).join(', ');
}

/** Nothing was asked for by name: what came of the notebook's own outputs. */
function notebookOnly(others: Artifact[]): Pick<JobOutcome, 'summary' | 'tone'> {
  const n = others.length;
  const released = others.filter(a => a.status === 'released').length;
  const pending = others.filter(a => a.status === 'pending').length;
  const lead = 'No output files were requested';
  if (pending > 0) {
    return {
      summary: `${lead}; ${pending} of ${n} notebook outputs wait for an output checker`,
      tone: 'pending'
    };
  }
  return {
    summary: `${lead}; ${released} of ${n} notebook outputs released`,
    tone: released === 0 ? 'none' : released === n ? 'success' : 'partial'
  };
}

function summarise(
  requested: Requested[],
  asked: boolean,
  others: Artifact[]
): Pick<JobOutcome, 'summary' | 'tone'> {
  const n = requested.length;
  const count = (s: Requested['status']) => requested.filter(r => r.status === s).length;
  const [released, withheld, pending, missing] = [
    count('released'),
    count('withheld'),
    count('pending'),
    count('missing')
  ];
  const noun = asked
    ? plural(n, 'requested output', 'requested outputs')
    : plural(n, 'output', 'outputs');
  const rest = [
    withheld ? `${withheld} withheld (${withheldWhy(requested)})` : '',
    missing ? `${missing} not written` : ''
  ].filter(Boolean);
  if (n === 0) {
    return notebookOnly(others);
  }
  if (pending > 0) {
    return {
      summary:
        `${pending} of ${n} ${noun} ${plural(pending, 'waits', 'wait')} for an output checker` +
        (rest.length ? `, ${rest.join(', ')}` : ''),
      tone: 'pending'
    };
  }
  if (released === 0) {
    return {
      summary:
        n === 1
          ? `The ${noun} was not released: ${rest.join(', ')}`
          : `None of the ${n} ${noun} released: ${rest.join(', ')}`,
      tone: 'none'
    };
  }
  return {
    summary: `${released} of ${n} ${noun} released` + (rest.length ? `, ${rest.join(', ')}` : ''),
    tone: released === n ? 'success' : 'partial'
  };
}

/** The outcome once the outputs are vetted; undefined before, or when the job failed without any. */
export function jobOutcome(input: IOutcomeInput): JobOutcome | undefined {
  if (!vettedStates.has(input.state)) {
    return undefined;
  }
  const files = input.artifacts.filter(a => a.kind === 'output');
  const asked = (input.manifest.outputs ?? []).map(normalise).filter(Boolean);
  const requested = asked.length
    ? asked.map(p =>
        fate(
          p,
          files.filter(a => a.path === p || a.path.startsWith(`${p}/`)),
          input
        )
      )
    : files.map(a => fate(a.path, [a], input));
  const standsFor = new Set(requested.flatMap(r => r.artifacts));
  const others = input.artifacts.filter(a => !standsFor.has(a.path));
  const count = (s: Requested['status']) => requested.filter(r => r.status === s).length;
  return {
    ...summarise(requested, asked.length > 0, others),
    released: count('released'),
    withheld: count('withheld'),
    pending: count('pending'),
    missing: count('missing'),
    requested,
    other: {
      released: others.filter(a => a.status === 'released').length,
      withheld: others.filter(a => a.status === 'withheld').length
    }
  };
}
