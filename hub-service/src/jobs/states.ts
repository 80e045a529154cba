// The job state machine: forward-only transitions, terminal states, and the state derived from events.
// The generated types themselves, not schema/index.ts (which loads ajv): the lab extension imports this.
import type { JobEvent, JobState } from '../generated/schema.js';

/** The happy path, in order. A job never moves back along it. */
export const pipelineOrder: JobState[] = [
  'queued',
  'archived',
  'building',
  'staging',
  'running',
  'checking',
  'awaiting_review',
  'released'
];

export const terminalStates: ReadonlySet<JobState> = new Set<JobState>([
  'released',
  'rejected',
  'build_failed',
  'run_failed',
  'preflight_failed',
  'canceled',
  'system_error'
]);

export const isTerminal = (state: JobState) => terminalStates.has(state);

/** Which failure a stage may end in; any non-terminal job may also be canceled or hit a system error. */
const failureOf: Partial<Record<JobState, JobState>> = {
  building: 'build_failed',
  // The preflight runs while the real data is staged; its failure ends the job before any real run.
  staging: 'preflight_failed',
  running: 'run_failed',
  awaiting_review: 'rejected'
};

export function canTransition(from: JobState, to: JobState): boolean {
  if (isTerminal(from)) {
    return false;
  }
  if (to === 'canceled' || to === 'system_error') {
    return true;
  }
  if (failureOf[from] === to) {
    return true;
  }
  const a = pipelineOrder.indexOf(from);
  const b = pipelineOrder.indexOf(to);
  // checking may skip review when the policy releases automatically.
  return b > a && (b === a + 1 || (from === 'checking' && to === 'released'));
}

/** The current state and failure reason, folded from the event list. */
export function deriveState(events: JobEvent[]): { state: JobState; reason?: string } {
  let current: { state: JobState; reason?: string } = { state: 'queued' };
  for (const e of events) {
    if (e.type === 'state' && e.state) {
      current = { state: e.state, reason: e.reason };
    }
  }
  return current;
}
