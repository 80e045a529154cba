// Results back: released files land in sensitive-results/<job-id>/ beside the notebook, and the
// cells inserted into the notebook start with the job's heading and hold the released outputs as
// markdown, which Run All leaves alone.
import type * as nbformat from '@jupyterlab/nbformat';
import type { Artifact, HBrokerClient, Job } from '../request';
import {
  cellsForFile,
  copyResults,
  csvToMarkdown,
  fenced,
  outputMarkdown,
  resultCells
} from '../results';
import { FakeContents } from './fakeContents';

const artifact = (path: string, kind: Artifact['kind'], status: Artifact['status']): Artifact => ({
  path,
  kind,
  status,
  size: 1,
  sha256: '0'.repeat(64),
  findings: []
});

const executed: nbformat.INotebookContent = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: 'markdown', source: '# Title', metadata: {} },
    {
      cell_type: 'code',
      source: 'len(df)',
      metadata: {},
      execution_count: 1,
      outputs: [
        {
          output_type: 'execute_result',
          data: { 'text/plain': ['11', '20'], 'application/json': { a: ['x', 'y'] } },
          metadata: {},
          execution_count: 1
        },
        { output_type: 'stream', name: 'stdout', text: ['one\n', 'two\n'] }
      ]
    },
    { cell_type: 'code', source: 'x = 1', metadata: {}, execution_count: 2, outputs: [] }
  ]
};

const job: Job = {
  id: 'job-1',
  owner: 'researcher',
  state: 'released',
  created_at: '2026-01-01T10:00:00Z',
  updated_at: '2026-01-01T10:01:00Z',
  manifest: { notebook: 'analysis.ipynb', study: 'demo' },
  artifacts: [
    artifact('analysis.ipynb', 'notebook', 'released'),
    artifact('summary.csv', 'output', 'released'),
    artifact('figs/plot.png', 'output', 'released'),
    artifact('secret.csv', 'output', 'withheld'),
    artifact('hbroker-logs/kernel.log', 'log', 'withheld'),
    artifact('analysis.ipynb/cells/1/outputs/0', 'cell_output', 'released')
  ]
};

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const files: Record<string, Uint8Array> = {
  'analysis.ipynb': new TextEncoder().encode(JSON.stringify(executed)),
  'summary.csv': new TextEncoder().encode('week,mean\n1,61.5\n2,"6|3"\n'),
  'figs/plot.png': png
};
const downloads: string[] = [];
const client = {
  output: async (id: string, path: string) => {
    downloads.push(`${id}/${path}`);
    if (!files[path]) {
      throw new Error(`${path} was not released`);
    }
    return files[path].slice().buffer;
  }
} as unknown as HBrokerClient;

describe('copyResults', () => {
  it('writes each released file under sensitive-results/<job-id>/ and nothing withheld', async () => {
    const contents = new FakeContents({ 'study/analysis.ipynb': '{}' });
    const written = await copyResults(client, contents as never, job, 'study');
    expect(written.sort()).toEqual([
      'study/sensitive-results/job-1/analysis.ipynb',
      'study/sensitive-results/job-1/figs/plot.png',
      'study/sensitive-results/job-1/summary.csv'
    ]);
    expect(contents.text('study/sensitive-results/job-1/summary.csv')).toBe(
      'week,mean\n1,61.5\n2,"6|3"\n'
    );
    expect([...contents.files.get('study/sensitive-results/job-1/figs/plot.png')!]).toEqual([
      ...png
    ]);
    expect(contents.folders).toContain('study/sensitive-results/job-1/figs');
    expect(downloads.some(d => d.includes('secret.csv') || d.includes('kernel.log'))).toBe(false);
  });
});

describe('resultCells', () => {
  it('starts with the job heading at the run’s own time and holds tables, images and the executed outputs', async () => {
    const cells = await resultCells(client, job);
    expect(String(cells[0].source).split('\n')[0]).toBe(
      '## Sensitive run job-1 · 2026-01-01 10:00 UTC'
    );
    // Nothing Run All would execute, and so clear: every inserted cell is markdown.
    expect(cells.every(c => c.cell_type === 'markdown')).toBe(true);
    const fromRun = cells.filter(c => (c.metadata as { hbroker?: unknown }).hbroker);
    expect(fromRun.map(c => c.metadata.hbroker)).toEqual([
      {
        job: 'job-1',
        cell: 1,
        outputs: ['analysis.ipynb/cells/1/outputs/0', 'analysis.ipynb/cells/1/outputs/1']
      }
    ]);
    // Multi-line strings joined; text as code blocks, under a line saying where it came from.
    expect(String(fromRun[0].source)).toBe(
      '*Cell 2, sensitive run job-1:*\n\n```\n1120\n```\n\n```\none\ntwo\n```'
    );
    const markdown = cells.filter(c => c.cell_type === 'markdown').map(c => String(c.source));
    expect(markdown.some(m => m.includes('| week | mean |') && m.includes('| 2 | 6\\|3 |'))).toBe(
      true
    );
    const attachments = cells.map(c => c.attachments as nbformat.IAttachments | undefined);
    const image = attachments.find(a => a?.['plot.png']);
    expect(image!['plot.png']!['image/png']).toBe(Buffer.from(png).toString('base64'));
  });
});

describe('outputMarkdown', () => {
  it('shows images as attachments, HTML as HTML, withheld outputs as their note, and text fenced safely', () => {
    expect(
      outputMarkdown(
        {
          output_type: 'display_data',
          data: { 'image/png': 'iVBO', 'text/plain': 'fig' },
          metadata: {}
        },
        'cell3-output1'
      )
    ).toEqual({
      text: '![cell3-output1.png](attachment:cell3-output1.png)',
      attachments: { 'cell3-output1.png': { 'image/png': 'iVBO' } }
    });
    expect(
      outputMarkdown(
        {
          output_type: 'execute_result',
          data: { 'text/html': ['<table>', '</table>'], 'text/plain': 't' },
          metadata: {},
          execution_count: 1
        },
        'x'
      ).text
    ).toBe('\n<table></table>\n');
    expect(
      outputMarkdown(
        {
          output_type: 'display_data',
          data: { 'text/plain': 'Output not released: it did not pass vetting.' },
          metadata: { hbroker: { withheld: 'analysis.ipynb/cells/1/outputs/0' } }
        },
        'x'
      ).text
    ).toBe('_Output not released: it did not pass vetting._');
    // Backticks in the text cannot close the fence and turn the rest into markup.
    expect(fenced('a ``` b')).toBe('````\na ``` b\n````');
  });
});

describe('tables', () => {
  it('keeps quoted commas, quotes and pipes inside their cells', () => {
    expect(csvToMarkdown('a,b\n"x, y","say ""hi"" |"\r\n').split('\n')).toEqual([
      '| a | b |',
      '| --- | --- |',
      '| x, y | say "hi" \\| |'
    ]);
  });

  it('caps long tables and says how many rows are left out', () => {
    const csv = ['n', ...Array.from({ length: 60 }, (_, i) => String(i))].join('\n');
    const table = csvToMarkdown(csv, 50);
    expect(table.split('\n').filter(l => l.startsWith('|'))).toHaveLength(52);
    expect(table).toContain('(10 more rows in the released file)');
  });

  it('shows text files as code and names files it cannot show', () => {
    expect(
      String(cellsForFile('notes.txt', new TextEncoder().encode('hello'))[0].source)
    ).toContain('```\nhello\n```');
    expect(String(cellsForFile('model.pkl', new Uint8Array([1]))[0].source)).toContain(
      'Open results'
    );
  });
});
