import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PartialFiles, partialPath, writeFileWhole } from './partial-files.js';

/** A pid no process has now: one that just exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('partial files in the state folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'hbroker-partial-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('writes a file whole under a partial name, then renames it into place', () => {
    const path = join(root, 'record.json');
    writeFileWhole(path, '{"a":1}', 0o444);
    assert.equal(readFileSync(path, 'utf8'), '{"a":1}');
    assert.equal(statSync(path).mode & 0o777, 0o444);
    assert.equal(partialPath(path), `${path}.${process.pid}.tmp`);
    assert.deepEqual(readdirSync(root), ['record.json']);
    rmSync(path, { force: true });
  });

  it('finds what a crash left, tells it from what is being written, and sweeps both', () => {
    const state = join(root, 'state');
    const objects = join(state, 'archive', 'objects', 'ab');
    const outputs = join(state, 'outputs');
    mkdirSync(objects, { recursive: true });
    mkdirSync(join(outputs, 'job-1'), { recursive: true });
    const dead = deadPid();
    mkdirSync(join(outputs, `job-2.${dead}.tmp`), { recursive: true });
    writeFileSync(join(outputs, `job-2.${dead}.tmp`, 'big.csv'), 'x');
    writeFileSync(join(objects, `cdef.${dead}.tmp`), 'half');
    writeFileSync(join(objects, `cd00.${process.pid}.tmp`), 'being written');
    writeFileSync(join(objects, 'cdef'), 'whole');
    // Named by the sandbox inside a job's collected outputs: not the service's partial file.
    writeFileSync(join(outputs, 'job-1', 'scratch.tmp'), 'an output');
    // An earlier version's name, without a pid.
    writeFileSync(join(state, 'old.tmp'), 'x');

    const partials = new PartialFiles(state, [outputs]);
    const found = partials.find();
    assert.deepEqual(
      found.map(f => [f.path.replace(/\.\d+\.tmp$/, '.<pid>.tmp'), f.writing]),
      [
        ['archive/objects/ab/cd00.<pid>.tmp', true],
        ['archive/objects/ab/cdef.<pid>.tmp', false],
        ['old.tmp', false],
        ['outputs/job-2.<pid>.tmp', false]
      ]
    );

    const removed = partials.sweep();
    assert.equal(removed.length, 4);
    assert.deepEqual(partials.find(), []);
    assert.deepEqual(readdirSync(objects), ['cdef']);
    assert.ok(existsSync(join(outputs, 'job-1', 'scratch.tmp')), 'an output named .tmp is kept');
    assert.deepEqual(readdirSync(outputs), ['job-1']);
  });

  it('finds nothing in a state folder that does not exist yet', () => {
    assert.deepEqual(new PartialFiles(join(root, 'none')).find(), []);
  });
});
