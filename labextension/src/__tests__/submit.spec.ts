// The submit dialog's logic: the form the UI contract names, answers checked against the limits
// in words, the manifest they make, and a dialog that stays open on refusals.
import { Dialog } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import type { IFolderListing } from '../bundle';
import { environmentForBundle, importedModules, parseCapture } from '../environment';
import { readResources, resourceProblems } from '../limits';
import { ServiceError, type Limits } from '../request';
import { checkAnswers, describeError, manifestFrom } from '../submit';
import { parseOutputs, SubmitDialog, SubmitForm, type ISubmitValues } from '../submitDialog';

const trans = nullTranslator.load('hbroker');
const limits: Limits = {
  bundle_mb: 1,
  default: { cpus: 1, memory_mb: 1024, timeout_seconds: 600 },
  max: { cpus: 2, memory_mb: 4096, timeout_seconds: 3600 },
  release_policy: 'auto'
};
const listing: IFolderListing = {
  folder: 'study',
  notebook: 'analysis.ipynb',
  files: [
    { path: 'analysis.ipynb', size: 2000 },
    { path: 'data.csv', size: 300 }
  ],
  ignored: ['.ipynb_checkpoints/'],
  ignoreFiles: [],
  environment: []
};
const values = (over: Partial<ISubmitValues> = {}): ISubmitValues => ({
  study: 'demo',
  outputs: ['summary.csv'],
  justification: 'weekly means',
  resources: { cpus: '1', memory_mb: '2048', timeout_seconds: '' },
  environment: 'pandas==2.2.0\n',
  ...over
});

describe('answers', () => {
  it('splits outputs on commas and lines, dropping blanks and repeats', () => {
    expect(parseOutputs(' summary.csv, figs/a.png\n\nsummary.csv ,')).toEqual([
      'summary.csv',
      'figs/a.png'
    ]);
  });

  it('accepts answers within the limits and builds the manifest from them', () => {
    expect(checkAnswers(values(), limits, listing, trans)).toEqual([]);
    const manifest = manifestFrom(values(), listing, {
      files: ['requirements.txt'],
      captured_from: 'kernel'
    });
    expect(manifest).toEqual({
      notebook: 'analysis.ipynb',
      study: 'demo',
      outputs: ['summary.csv'],
      resources: { cpus: 1, memory_mb: 2048 },
      environment: { files: ['requirements.txt'], captured_from: 'kernel' },
      justification: 'weekly means'
    });
  });

  it('says in words what is over the limits or not a number', () => {
    const problems = checkAnswers(
      values({
        study: '',
        outputs: ['../secret.csv'],
        resources: { cpus: '4', memory_mb: '1.5', timeout_seconds: '-1' }
      }),
      limits,
      listing,
      trans
    );
    expect(problems).toEqual([
      'Choose a study. If the list is empty, ask your admin for access.',
      'The output "../secret.csv" must be a path inside the notebook folder.',
      'CPUs may be at most 2 on this service; you asked for 4.',
      'Memory (MiB) must be a whole number above 0.',
      'Time limit (seconds) must be a whole number above 0.'
    ]);
  });

  it('refuses a folder over the bundle limit before reading it', () => {
    const big = { ...listing, files: [{ path: 'analysis.ipynb', size: 3 * 1048576 }] };
    expect(checkAnswers(values(), limits, big, trans)).toEqual([
      'The folder holds 3.0 MB, over the 1 MB limit. List large files in hbroker-ignore.txt in this folder (lines like .gitignore’s) to leave them out.'
    ]);
  });

  it('reads empty resource fields as "the service default"', () => {
    expect(readResources({ cpus: '', memory_mb: ' 512 ', timeout_seconds: '' })).toEqual({
      memory_mb: 512
    });
    expect(resourceProblems({}, limits, trans)).toEqual([]);
  });

  it('shows service refusals with their details', () => {
    const e = new ServiceError('invalid_bundle', 'The bundle is too large.', 400, ['detail one']);
    expect(describeError(e)).toEqual(['The bundle is too large.', 'detail one']);
    expect(describeError(new Error('network down'))).toEqual(['network down']);
  });
});

describe('environment', () => {
  it('reads the modules a notebook imports', () => {
    expect(
      importedModules([
        'import os, pandas as pd\nfrom matplotlib import pyplot as plt',
        '  import numpy.linalg\n# import not_this\nx = "import nope"'
      ])
    ).toEqual(['matplotlib', 'numpy', 'os', 'pandas']);
  });

  it("turns the kernel's capture into requirements.txt and runtime.txt for the bundle", () => {
    const captured = parseCapture('noise\n{"python": "3.11", "requirements": ["pandas==2.2.0"]}\n');
    expect(captured).toEqual({ requirements: 'pandas==2.2.0\n', runtime: 'python-3.11' });
    const env = environmentForBundle(
      {
        captured_from: 'kernel',
        files: [],
        text: captured.requirements,
        runtime: captured.runtime
      },
      'pandas==2.2.0\nnumpy==2.0.0\n'
    );
    expect(env.spec).toEqual({
      files: ['requirements.txt', 'runtime.txt'],
      captured_from: 'kernel'
    });
    expect(env.extra.map(f => [f.path, new TextDecoder().decode(f.content)])).toEqual([
      ['requirements.txt', 'pandas==2.2.0\nnumpy==2.0.0\n'],
      ['runtime.txt', 'python-3.11\n']
    ]);
  });

  it("sends the folder's files as they are unless the user edited the shown one", () => {
    const choice = {
      captured_from: 'folder' as const,
      files: ['binder/requirements.txt', 'binder/runtime.txt'],
      editablePath: 'binder/requirements.txt',
      text: 'pandas\n'
    };
    expect(environmentForBundle(choice, 'pandas\n').extra).toEqual([]);
    const edited = environmentForBundle(choice, 'pandas\nscipy\n');
    expect(edited.extra.map(f => f.path)).toEqual(['binder/requirements.txt']);
    expect(edited.spec).toEqual({ files: choice.files, captured_from: 'folder' });
  });
});

describe('SubmitForm', () => {
  const form = () =>
    new SubmitForm({
      listing,
      studies: [
        { id: 'demo', name: 'Demo study' },
        { id: 'other', name: 'other' }
      ],
      limits,
      environment: {
        captured_from: 'kernel',
        files: [],
        text: 'pandas==2.2.0\n',
        runtime: 'python-3.11'
      },
      preferred: { memory_mb: 2048 },
      trans
    });

  it('has the fields the UI contract names, filled with the defaults', () => {
    const f = form();
    expect(f.node.classList).toContain('jp-hbroker-SubmitDialog');
    for (const name of [
      'study',
      'outputs',
      'justification',
      'cpus',
      'memory_mb',
      'timeout_seconds',
      'environment'
    ]) {
      expect(f.node.querySelector(`[name="${name}"]`)).not.toBeNull();
    }
    expect(f.node.querySelector('select[name="study"]')!.textContent).toContain(
      'Demo study (demo)'
    );
    expect(f.node.querySelector('.jp-hbroker-SubmitDialog-files')!.textContent).toContain(
      'data.csv'
    );
    expect(f.node.textContent).toContain('analysis.ipynb was saved');
    expect(f.getValue().resources).toEqual({
      cpus: '1',
      memory_mb: '2048',
      timeout_seconds: '600'
    });
    expect(f.getValue().environment).toBe('pandas==2.2.0\n');
  });

  it('shows problems in an alert and clears them', () => {
    const f = form();
    const error = f.node.querySelector('.jp-hbroker-error') as HTMLElement;
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.hidden).toBe(true);
    f.showErrors(['The bundle is too large.']);
    expect(error.hidden).toBe(false);
    expect(error.textContent).toBe('The bundle is too large.');
    f.showErrors([]);
    expect(error.hidden).toBe(true);
  });
});

describe('SubmitDialog', () => {
  it('stays open while the accept action reports problems, and closes when it succeeds', async () => {
    let answer = false;
    let calls = 0;
    const dialog = new SubmitDialog<void>(
      {
        title: 'Submit for sensitive run',
        buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Submit' })]
      },
      async () => {
        calls++;
        return answer;
      }
    );
    const result = dialog.launch();
    dialog.resolve(1);
    await new Promise(r => setTimeout(r, 0));
    expect(calls).toBe(1);
    expect(dialog.isDisposed).toBe(false);
    answer = true;
    dialog.resolve(1);
    const closed = await result;
    expect(calls).toBe(2);
    expect(closed.button.accept).toBe(true);
    expect(closed.button.label).toBe('Submit');
  });

  it('closes on cancel without running the accept action', async () => {
    let calls = 0;
    const dialog = new SubmitDialog<void>(
      { buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Submit' })] },
      async () => {
        calls++;
        return true;
      }
    );
    const result = dialog.launch();
    dialog.resolve(0);
    expect((await result).button.accept).toBe(false);
    expect(calls).toBe(0);
  });
});
