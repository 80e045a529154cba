// What the browser bundles: the notebook's folder with the CLI's ignore rules, its environment
// files, and a tar the service accepts.
import { receivedByService } from './serviceBundle';
import { bundleSize, listBundle, packBundle } from '../bundle';
import { FakeContents } from './fakeContents';

const notebook = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });

function project(extra: Record<string, string> = {}) {
  return new FakeContents({
    'other.txt': 'outside the folder',
    'study/analysis.ipynb': notebook,
    'study/helpers.py': 'def f(): pass\n',
    'study/data/synthetic.csv': 'a,b\n1,2\n',
    'study/.ipynb_checkpoints/analysis-checkpoint.ipynb': notebook,
    'study/__pycache__/helpers.cpython-311.pyc': 'x',
    'study/sensitive-results/old-job/summary.csv': 'n\n1\n',
    'study/big/raw.parquet': 'x'.repeat(5000),
    ...extra
  });
}

describe('listBundle', () => {
  it('lists the notebook folder without checkpoints, caches and earlier results', async () => {
    const listing = await listBundle(project(), 'study/analysis.ipynb');
    expect(listing.folder).toBe('study');
    expect(listing.notebook).toBe('analysis.ipynb');
    expect(listing.files.map(f => f.path).sort()).toEqual([
      'analysis.ipynb',
      'big/raw.parquet',
      'data/synthetic.csv',
      'helpers.py'
    ]);
    expect(listing.ignored.sort()).toEqual([
      '.ipynb_checkpoints/',
      '__pycache__/',
      'sensitive-results/'
    ]);
    expect(listing.ignoreFiles).toEqual([]);
    expect(bundleSize(listing)).toBe(
      notebook.length + 5000 + 'a,b\n1,2\n'.length + 'def f(): pass\n'.length
    );
  });

  it('honours .hbrokerignore with .gitignore rules, as hbroker submit does', async () => {
    const contents = project({ 'study/.hbrokerignore': 'big/\n*.csv\n!data/keep.csv\n' });
    contents.put('study/data/keep.csv', new TextEncoder().encode('k\n'));
    const listing = await listBundle(contents, 'study/analysis.ipynb');
    expect(listing.ignoreFiles).toEqual(['.hbrokerignore']);
    expect(listing.files.map(f => f.path).sort()).toEqual([
      '.hbrokerignore',
      'analysis.ipynb',
      'data/keep.csv',
      'helpers.py'
    ]);
    expect(listing.ignored).toEqual(expect.arrayContaining(['big/', 'data/synthetic.csv']));
  });

  it('does not ask for a .hbrokerignore the server does not list (no 404 in the console)', async () => {
    const contents = project({ 'study/.hbrokerignore': 'big/\n' });
    contents.hidden.add('study/.hbrokerignore');
    const listing = await listBundle(contents, 'study/analysis.ipynb');
    expect(listing.ignoreFiles).toEqual([]);
    expect(contents.reads).not.toContain('study/.hbrokerignore');
    expect(listing.files.map(f => f.path)).toContain('big/raw.parquet');
  });

  it('honours hbroker-ignore.txt, the name the server lists, with .hbrokerignore when listed too', async () => {
    const contents = project({
      'study/hbroker-ignore.txt': 'big/\n',
      'study/.hbrokerignore': 'helpers.py\n'
    });
    contents.hidden.add('study/.hbrokerignore');
    const hidden = await listBundle(contents, 'study/analysis.ipynb');
    expect(hidden.ignoreFiles).toEqual(['hbroker-ignore.txt']);
    expect(hidden.ignored).toContain('big/');
    expect(hidden.files.map(f => f.path)).toContain('helpers.py');
    contents.hidden.delete('study/.hbrokerignore');
    const both = await listBundle(contents, 'study/analysis.ipynb');
    expect(both.ignoreFiles).toEqual(['hbroker-ignore.txt', '.hbrokerignore']);
    expect(both.ignored).toEqual(expect.arrayContaining(['big/', 'helpers.py']));
  });

  it('finds repo2docker files, binder/ winning over the root', async () => {
    const root = await listBundle(
      project({ 'study/requirements.txt': 'pandas\n', 'study/runtime.txt': 'python-3.11\n' }),
      'study/analysis.ipynb'
    );
    // In the order the builder builds their parts.
    expect(root.environment).toEqual(['runtime.txt', 'requirements.txt']);
    const binder = await listBundle(
      project({
        'study/requirements.txt': 'pandas\n',
        'study/binder/environment.yml': 'dependencies: []\n'
      }),
      'study/analysis.ipynb'
    );
    expect(binder.environment).toEqual(['binder/environment.yml']);
  });

  it('works for a notebook at the server root', async () => {
    const listing = await listBundle(
      new FakeContents({ 'top.ipynb': notebook, 'notes.md': '# hi' }),
      'top.ipynb'
    );
    expect(listing.folder).toBe('');
    expect(listing.files.map(f => f.path).sort()).toEqual(['notes.md', 'top.ipynb']);
  });
});

describe('packBundle', () => {
  it('packs the listed files and the extra ones into a tar the service unpacks', async () => {
    const contents = project({ 'study/requirements.txt': 'pandas\n' });
    const listing = await listBundle(contents, 'study/analysis.ipynb');
    const extra = [
      { path: 'requirements.txt', content: new TextEncoder().encode('pandas==2.2.0\n') }
    ];
    const packed = await packBundle(contents, listing, extra);
    const files = await receivedByService(packed.tar, { bundle_mb: 1, bundle_files: 100 });
    const byPath = new Map(files.map(f => [f.path, f.content.toString()]));
    expect([...byPath.keys()].sort()).toEqual([
      'analysis.ipynb',
      'big/raw.parquet',
      'data/synthetic.csv',
      'helpers.py',
      'requirements.txt'
    ]);
    expect(byPath.get('requirements.txt')).toBe('pandas==2.2.0\n');
    expect(byPath.get('analysis.ipynb')).toBe(notebook);
    expect(contents.reads).not.toContain('study/requirements.txt');
  });
});
