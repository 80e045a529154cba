// What the dialog knows before Submit: the study the notebook names (metadata, or an id in its
// code), a warning when another one is chosen, where its last run here stopped, and a folder over
// the size limit, all before anything is sent.
import { nullTranslator } from '@jupyterlab/translation';
import type { IFolderListing } from '../bundle';
import { lastRunError, studyNamedIn, type INotebookLike } from '../notebookHints';
import type { Limits } from '../request';
import { SubmitForm } from '../submitDialog';

const trans = nullTranslator.load('hbroker');
const code = (source: string, outputs: INotebookLike['cells'][number]['outputs'] = []) => ({
  cell_type: 'code',
  source,
  outputs
});
const notebook = (...cells: INotebookLike['cells']): INotebookLike => ({ metadata: {}, cells });
const known = ['demo', '30001', 'heart-2'];

describe('studyNamedIn', () => {
  it('reads the metadata first, then a known id on a line of code about a study', () => {
    expect(
      studyNamedIn(
        { ...notebook(code("study_id='demo'")), metadata: { hbroker: { study: 'heart-2' } } },
        known
      )
    ).toEqual({ id: 'heart-2' });
    // The examples' two ways: a path to the synthetic study, and an id in the code.
    expect(
      studyNamedIn(
        notebook(
          { cell_type: 'markdown', source: 'study demo' },
          code("data_dir = os.environ.get('HBROKER_DATA', '../studies/demo')")
        ),
        known
      )
    ).toEqual({ id: 'demo', cell: 1 });
    expect(
      studyNamedIn(notebook(code("STUDY = int(os.environ.get('STUDY_ID', '30001'))")), known)
    ).toEqual({ id: '30001', cell: 0 });
    expect(
      studyNamedIn(notebook(code('df = jhe.list_observations_df(study_id=30001)')), known)
    ).toEqual({ id: '30001', cell: 0 });
  });

  it('reports a study_id literal it cannot offer, and nothing for numbers on unrelated lines', () => {
    expect(studyNamedIn(notebook(code('x = list_df(study_id="99")')), known)).toEqual({
      id: '99',
      cell: 0
    });
    expect(studyNamedIn(notebook(code('range(30001)\nstudy = pick()')), known)).toBeUndefined();
    expect(studyNamedIn(notebook(code('jhe.list(study_id=STUDY)')), known)).toBeUndefined();
  });
});

describe('lastRunError', () => {
  it('finds the first cell whose saved outputs hold an error', () => {
    expect(
      lastRunError(
        notebook(
          code('1', [{ output_type: 'execute_result' }]),
          code('df.x', [{ output_type: 'error', ename: 'AttributeError' }])
        )
      )
    ).toEqual({ cell: 1, ename: 'AttributeError' });
    expect(lastRunError(notebook(code('1', [{ output_type: 'stream' }])))).toBeUndefined();
  });
});

describe('the submit dialog before Submit', () => {
  const limits: Limits = {
    bundle_mb: 1,
    bundle_files: 100,
    default: {},
    max: {},
    release_policy: 'one'
  } as Limits;
  const listing: IFolderListing = {
    folder: 'study',
    notebook: 'analysis.ipynb',
    files: [{ path: 'analysis.ipynb', size: 2000 }],
    ignored: [],
    ignoreFiles: [],
    environment: []
  };
  const form = (hints: ConstructorParameters<typeof SubmitForm>[0]['hints'], files = listing) =>
    new SubmitForm({
      listing: files,
      studies: [
        { id: 'demo', name: 'Demo study' },
        { id: 'heart-2', name: 'Heart 2' }
      ],
      limits,
      environment: { captured_from: 'kernel', files: [], text: '' },
      preferred: {},
      trans,
      hints
    });
  const warningsOf = (f: SubmitForm) =>
    [...f.node.querySelectorAll('.jp-hbroker-warning')].map(w => w.textContent);

  it('preselects the study the notebook names, and warns when another is chosen', () => {
    const f = form({ study: { id: 'heart-2', cell: 2 } });
    const study = f.node.querySelector<HTMLSelectElement>('select[name="study"]')!;
    expect(study.value).toBe('heart-2');
    expect(warningsOf(f)).toEqual([]);
    study.value = 'demo';
    study.dispatchEvent(new Event('change'));
    expect(warningsOf(f)).toEqual([
      'The notebook names study "heart-2" (in cell 3), but study "demo" is chosen. The run uses the study chosen here: check it is the one you mean.'
    ]);
    expect(f.node.querySelector('.jp-hbroker-SubmitDialog-warnings')!.getAttribute('role')).toBe(
      'status'
    );
  });

  it('says when the named study is not one the user may choose, and where the last run stopped', () => {
    const f = form({ study: { id: '99' }, error: { cell: 3, ename: 'KeyError' } });
    expect(f.node.querySelector<HTMLSelectElement>('select[name="study"]')!.value).toBe('demo');
    expect(warningsOf(f)).toEqual([
      'The notebook names study "99" (in its metadata), which is not among the studies you may use here. Choose the study to run on, or ask your admin for access.',
      'Cell 4 ended in KeyError when the notebook last ran here. The sensitive run would most likely stop there too: fix it and run the notebook on the synthetic data first.'
    ]);
  });

  it('says a folder is over the size limit before Submit, naming the ignore file it can read', () => {
    const f = form({}, { ...listing, files: [{ path: 'big.parquet', size: 2 * 1048576 }] });
    expect(warningsOf(f)).toEqual([
      'The folder holds 2.0 MB, over the 1 MB limit. List large files in hbroker-ignore.txt in this folder (lines like .gitignore’s) to leave them out.'
    ]);
    expect(f.node.textContent).toContain(
      'To leave files out, list them in hbroker-ignore.txt in this folder'
    );
  });
});
