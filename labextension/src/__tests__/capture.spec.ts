// The kernel capture's Python, run by the project's Python (.venv, as in a user's server): it pins
// the distributions behind the notebook's imports and leaves out the kernel's own machinery.
import { execFileSync } from 'child_process';
import { join } from 'path';
import { captureCode, importedModules, parseCapture } from '../environment';

const python = join(__dirname, '../../../.venv/bin/python');
const run = (code: string) => execFileSync(python, ['-c', code], { encoding: 'utf8' });

describe('captureCode', () => {
  it('pins what the notebook imports, and nothing of ipykernel or packaging', () => {
    const modules = importedModules([
      'import os\nimport pandas as pd\nimport ipykernel\nimport no_such_module'
    ]);
    const captured = parseCapture(
      run(`import ipykernel, traitlets, numpy\n${captureCode(modules)}`)
    );
    const pandas = run('import importlib.metadata as m; print(m.version("pandas"))').trim();
    const names = captured.requirements
      .trim()
      .split('\n')
      .map(line => line.split('==')[0]);
    expect(captured.requirements).toContain(`pandas==${pandas}\n`);
    expect(names).toContain('numpy'); // loaded in the kernel, though the notebook does not name it
    for (const left of ['ipykernel', 'traitlets', 'jupyter-client', 'pip', 'setuptools']) {
      expect(names).not.toContain(left);
    }
    const version = run('import sys; print("%d.%d" % sys.version_info[:2])').trim();
    expect(captured.runtime).toBe(`python-${version}`);
  });
});
