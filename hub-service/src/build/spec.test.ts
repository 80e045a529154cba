import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { IBundleFile } from '../bundle/index.js';
import { captureEnvironment } from './index.js';
import { generateDockerfile, runnerPackages } from './dockerfile.js';
import { checkEnvironment, type IBuildRules } from './rules.js';
import { findEnvironment } from './spec.js';

const f = (path: string, content = 'x\n'): IBundleFile => ({
  path,
  mode: 0o644,
  content: Buffer.from(content)
});
const rules: IBuildRules = { kind: 'dockerfile', python_versions: ['3.11'] };
const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('the environment spec (repo2docker rules)', () => {
  it('takes binder/ over the root and hashes the same files alike wherever they are', () => {
    const inBinder = findEnvironment([
      f('requirements.txt', 'broken==0\n'),
      f('binder/requirements.txt', 'toolz==1.0.0\n'),
      f('binder/notes.md'),
      f('data.csv')
    ]);
    assert.equal(inBinder.dir, 'binder');
    assert.deepEqual(
      inBinder.files.map(x => x.path),
      ['binder/requirements.txt']
    );
    const atRoot = findEnvironment([f('requirements.txt', 'toolz==1.0.0\n')]);
    assert.equal(atRoot.sha256, inBinder.sha256);
    assert.equal(findEnvironment([f('.binder/apt.txt', 'jq\n')]).dir, '.binder');
  });

  it('refuses binder/ and .binder/ together, and lets a Dockerfile override the rest', () => {
    assert.match(
      message(() => findEnvironment([f('binder/apt.txt'), f('.binder/apt.txt')])),
      /both binder\/ and \.binder\/.*Keep the environment files in one of them/
    );
    const docker = findEnvironment([f('Dockerfile'), f('requirements.txt')]);
    assert.deepEqual(
      docker.files.map(x => x.name),
      ['Dockerfile']
    );
  });

  it('refuses at submission what the Dockerfile builder cannot honour, saying what to do', () => {
    const check = (...files: IBundleFile[]) =>
      message(() => checkEnvironment(findEnvironment(files), rules));
    assert.match(check(f('runtime.txt', 'python-3.9\n')), /Python 3\.9.*provides Python 3\.11/);
    assert.match(check(f('runtime.txt', 'r-4.1-2021-10-01\n')), /r-base-core/);
    assert.equal(check(f('runtime.txt', 'python-3.11\n')), 'no error');
    assert.match(check(f('environment.yml')), /no conda/);
    assert.match(check(f('Dockerfile')), /registry/);
    assert.match(check(f('start')), /postBuild/);
    assert.match(check(f('setup.py')), /whole folder/);
    assert.match(check(f('requirements.txt', 'toolz\n-r other.txt\n')), /line 2.*another file/);
    assert.match(check(f('requirements.txt', '-e .\n')), /local path/);
    assert.match(check(f('requirements.txt', 'x @ file:///home/me/x\n')), /local path/);
    assert.equal(
      check(f('requirements.txt', '# pinned\ntoolz==1.0.0 \\\n  --hash=sha256:abc\n')),
      'no error'
    );
    assert.match(check(f('apt.txt', 'jq\nrm -rf /\n')), /line 2: "-rf" is not a Debian package/);
    assert.equal(
      message(() =>
        checkEnvironment(findEnvironment([f('environment.yml')]), { ...rules, kind: 'repo2docker' })
      ),
      'no error'
    );
  });

  it('records the derived files and refuses a listed file the rules would ignore', () => {
    const files = [f('analysis.ipynb'), f('binder/requirements.txt'), f('requirements.txt')];
    assert.deepEqual(captureEnvironment(files, undefined, rules), {
      files: ['binder/requirements.txt']
    });
    assert.match(
      message(() => captureEnvironment(files, { files: ['requirements.txt'] }, rules)),
      /binder\/ folder wins over the root/
    );
    assert.deepEqual(
      captureEnvironment(
        [f('requirements.txt'), f('runtime.txt', 'python-3.11\n')],
        { files: ['requirements.txt', 'runtime.txt'], captured_from: 'kernel' },
        rules
      ),
      { files: ['runtime.txt', 'requirements.txt'], captured_from: 'kernel' }
    );
    assert.equal(captureEnvironment([f('analysis.ipynb')], undefined, rules), undefined);
  });
});

describe('the generated Dockerfile', () => {
  it('pins the base by id, puts each part in its own layers in repo2docker order, and holds only spec files', () => {
    const env = findEnvironment([
      f('postBuild', '#!/bin/sh\necho hi\n'),
      f('requirements.txt', 'toolz==1.0.0\n'),
      f('apt.txt', 'jq\n'),
      f('runtime.txt', 'python-3.11\n'),
      f('analysis.ipynb'),
      f('secret.csv')
    ]);
    const { dockerfile, context } = generateDockerfile(env, 'sha256:' + 'a'.repeat(64), rules);
    assert.match(dockerfile, /^FROM sha256:a{64}$/m);
    const order = [
      'env/apt.txt',
      'env/runtime.txt',
      'env/requirements.txt',
      'nbclient',
      'env/postBuild'
    ];
    const at = order.map(s => dockerfile.indexOf(s));
    assert.deepEqual(
      [...at].sort((a, b) => a - b),
      at,
      'apt, runtime, requirements, runner, postBuild'
    );
    assert.ok(at.every(i => i > 0));
    assert.deepEqual(context.map(c => c.path).sort(), [
      'Dockerfile',
      'env/apt.txt',
      'env/postBuild',
      'env/requirements.txt',
      'env/runtime.txt'
    ]);
    assert.match(dockerfile, /^USER 1000:1000$/m);
  });

  it('gives install.R an R from Debian when the environment lacks one, and CRAN as its repository', () => {
    const env = findEnvironment([
      f('apt.txt', 'libxml2-dev\n'),
      f('install.R', 'install.packages("x")\n')
    ]);
    const { dockerfile } = generateDockerfile(env, 'sha256:' + 'a'.repeat(64), rules);
    const r = dockerfile.split('\n').find(l => l.includes('Rscript'))!;
    assert.match(
      r,
      /command -v Rscript .*apt-get install -y --no-install-recommends r-base-core r-cran-irkernel/
    );
    assert.match(
      r,
      /options\(repos = c\(CRAN = "https:\/\/cloud\.r-project\.org"\)\); source\("\/opt\/hbroker\/env\/install\.R"\)/
    );
    assert.ok(dockerfile.indexOf('env/apt.txt') < dockerfile.indexOf('env/install.R'));
  });

  it('adds the runner with the same pins as the base image', () => {
    const base = readFileSync(
      new URL('../../../base-image/requirements.txt', import.meta.url),
      'utf8'
    );
    for (const pin of runnerPackages) {
      assert.match(base, new RegExp(`^${pin.replace(/\./g, '\\.')}$`, 'm'));
    }
  });
});
