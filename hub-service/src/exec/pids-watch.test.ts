import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { maxEvents, pidsEventsFile } from './pids-watch.js';

const root = mkdtempSync(join(tmpdir(), 'hbroker-pids-'));
after(() => rmSync(root, { recursive: true, force: true }));

function fake(pid: number, cgroup: string, events: [string, string]): void {
  mkdirSync(join(root, 'proc', String(pid)), { recursive: true });
  writeFileSync(join(root, 'proc', String(pid), 'cgroup'), cgroup);
  mkdirSync(join(root, 'sys', events[0]), { recursive: true });
  writeFileSync(join(root, 'sys', events[0], 'pids.events'), events[1]);
}

describe("the sandbox's pids cgroup, from the host", () => {
  it('finds pids.events under cgroup v1 and v2 and reads the refused forks', () => {
    fake(10, '8:pids:/docker/abc\n4:memory:/docker/abc\n0::/docker/abc\n', [
      'pids/docker/abc',
      'max 0\n'
    ]);
    const v1 = pidsEventsFile(10, join(root, 'sys'), join(root, 'proc'));
    assert.equal(v1, join(root, 'sys', 'pids/docker/abc/pids.events'));
    assert.equal(maxEvents(v1!), 0);
    fake(11, '0::/system.slice/docker-def.scope\n', ['system.slice/docker-def.scope', 'max 7\n']);
    const v2 = pidsEventsFile(11, join(root, 'sys'), join(root, 'proc'));
    assert.equal(maxEvents(v2!), 7);
  });

  it('gives up quietly where the cgroup cannot be read (another host)', () => {
    assert.equal(pidsEventsFile(12, join(root, 'sys'), join(root, 'proc')), undefined);
  });
});
