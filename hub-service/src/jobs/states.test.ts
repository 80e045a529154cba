import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canTransition, deriveState } from './states.js';

describe('job states', () => {
  it('moves only forward along the pipeline', () => {
    assert.ok(canTransition('queued', 'archived'));
    assert.ok(canTransition('checking', 'released'), 'auto release skips review');
    assert.ok(canTransition('checking', 'awaiting_review'));
    assert.ok(!canTransition('running', 'staging'));
    assert.ok(!canTransition('archived', 'running'), 'no stage is skipped');
  });

  it('allows each stage only its own failure, and cancel from anywhere unfinished', () => {
    assert.ok(canTransition('building', 'build_failed'));
    assert.ok(canTransition('running', 'run_failed'));
    assert.ok(!canTransition('staging', 'run_failed'));
    assert.ok(canTransition('awaiting_review', 'canceled'));
    assert.ok(!canTransition('released', 'canceled'));
    assert.ok(!canTransition('canceled', 'system_error'));
  });

  it('derives the state from the last state event', () => {
    const at = '2026-01-01T00:00:00Z';
    const derived = deriveState([
      { job_id: 'j', seq: 1, at, type: 'state', state: 'queued' },
      { job_id: 'j', seq: 2, at, type: 'state', state: 'running' },
      { job_id: 'j', seq: 3, at, type: 'progress', cell: 1, cells: 2 },
      { job_id: 'j', seq: 4, at, type: 'state', state: 'run_failed', reason: 'timed out' }
    ]);
    assert.deepEqual(derived, { state: 'run_failed', reason: 'timed out' });
  });
});
