import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { rebuildNotebook, rebuildOutput, releasedMimes } from './notebook.js';

const rows = 'p001,2026-01-01T08:00:00Z,64\np002,2026-01-01T09:00:00Z,71';

test('an output keeps what a reader sees and loses its metadata and transient data', () => {
  const { output, changes } = rebuildOutput({
    output_type: 'display_data',
    data: {
      'text/plain': ['mean ', '72\u200b'],
      'application/vnd.custom+json': { rows },
      'text/html': '<b onclick="x">72</b><!-- hidden -->'
    },
    metadata: { rows, 'text/plain': { rows } },
    transient: { display_id: rows }
  });
  assert.deepEqual(output, {
    output_type: 'display_data',
    data: { 'text/plain': ['mean 72'], 'text/html': '<b>72</b>' },
    metadata: {}
  });
  assert.deepEqual(changes.dropped, [
    'a representation of type application/vnd.custom+json',
    'its metadata (2 keys)',
    'its transient data'
  ]);
  assert.equal(changes.hidden.count, 1);
});

test('stream, error and execute_result outputs are valid nbformat after rebuilding', () => {
  assert.deepEqual(
    rebuildOutput({ output_type: 'stream', name: 'stdout', text: ['a\n', 'b\n'], extra: rows })
      .output,
    {
      output_type: 'stream',
      name: 'stdout',
      // Lists of lines stay lists of lines, as nbformat writes them.
      text: ['a\n', 'b\n']
    }
  );
  assert.deepEqual(
    rebuildOutput({
      output_type: 'error',
      ename: 'ValueError',
      evalue: 'bad',
      traceback: ['\x1b[0;31mValueError\x1b[0m: bad']
    }).output,
    { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['ValueError: bad'] }
  );
  assert.deepEqual(
    rebuildOutput({
      output_type: 'execute_result',
      execution_count: 3,
      data: { 'text/plain': '1' },
      metadata: {}
    }).output,
    { output_type: 'execute_result', data: { 'text/plain': '1' }, metadata: {}, execution_count: 3 }
  );
});

test('an image that does not decode is dropped and said to be a problem', () => {
  const { output, changes } = rebuildOutput({
    output_type: 'display_data',
    data: { 'image/png': 'iVBO', 'text/plain': 'fig' },
    metadata: {}
  });
  assert.deepEqual(output.data, { 'text/plain': 'fig' });
  assert.match(changes.problems[0], /The image in this output is not a readable PNG image/);
});

test('the notebook keeps kernelspec and language_info and says what it dropped', () => {
  const nb = rebuildNotebook(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: {
          name: 'python3',
          display_name: 'Python 3',
          language: 'python',
          env: { X: rows }
        },
        language_info: {
          name: 'python',
          version: '3.11.2',
          codemirror_mode: { name: 'ipython', version: 3 }
        },
        widgets: { state: rows },
        papermill: { rows }
      },
      cells: [
        {
          id: 'a',
          cell_type: 'markdown',
          source: '# t',
          metadata: { tags: [rows] },
          attachments: { 'x.png': {} }
        },
        {
          id: 'bad id!',
          cell_type: 'code',
          source: ['print(1)'],
          metadata: { execution: { rows } },
          execution_count: 1,
          outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }]
        }
      ]
    },
    (_i, _j, o) => rebuildOutput(o).output
  );
  assert.doesNotMatch(JSON.stringify(nb), /p001|2026/);
  assert.deepEqual(nb.metadata, {
    kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
    language_info: {
      name: 'python',
      version: '3.11.2',
      codemirror_mode: { name: 'ipython', version: 3 }
    },
    hbroker: {
      released:
        'Rebuilt by HBroker on release: only cells, their sources and the released outputs are kept.',
      dropped: [
        'notebook metadata (2 keys, e.g. widget state)',
        'the metadata of 2 cells',
        'the attachments of 1 cell',
        'every output’s metadata and transient data'
      ]
    }
  });
  assert.deepEqual(nb.cells, [
    { id: 'a', cell_type: 'markdown', metadata: {}, source: '# t' },
    {
      id: 'cell-1',
      cell_type: 'code',
      metadata: {},
      source: ['print(1)'],
      execution_count: 1,
      outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }]
    }
  ]);
});

/** Every key path of a JSON value, with array indices as `[]`. */
function keyPaths(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(v => keyPaths(v, `${at}[]`));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [`${at}.${k}`, ...keyPaths(v, `${at}.${k}`)]);
  }
  return [];
}

const allowed = [
  /^\.(nbformat|nbformat_minor|cells|metadata)$/,
  /^\.metadata\.(kernelspec|language_info|hbroker)$/,
  /^\.metadata\.kernelspec\.(name|display_name|language)$/,
  /^\.metadata\.language_info\.(name|version|mimetype|file_extension|pygments_lexer|nbconvert_exporter|codemirror_mode)$/,
  /^\.metadata\.language_info\.codemirror_mode\.(name|version)$/,
  /^\.metadata\.hbroker\.(released|dropped)$/,
  /^\.cells\[\]\.(id|cell_type|metadata|source|execution_count|outputs)$/,
  /^\.cells\[\]\.outputs\[\]\.(output_type|name|text|data|metadata|execution_count|ename|evalue|traceback)$/,
  new RegExp(
    `^\\.cells\\[\\]\\.outputs\\[\\]\\.data\\.(${releasedMimes.map(m => m.replace(/[/+.]/g, '\\$&')).join('|')})$`
  ),
  // application/json keeps its parsed value: keys under it are data the checks read as text.
  /^\.cells\[\]\.outputs\[\]\.data\.application\/json[.[]/
];

const json = fc.jsonValue({ maxDepth: 3 });
const anyKeys = fc.dictionary(fc.string({ maxLength: 12 }), json, { maxKeys: 4 });
const mime = fc.oneof(
  fc.constantFrom(...releasedMimes.filter(m => !m.startsWith('image/'))),
  fc.string({ maxLength: 20 })
);
const output = fc.record(
  {
    output_type: fc.oneof(
      fc.constantFrom('stream', 'display_data', 'execute_result', 'error'),
      fc.string()
    ),
    name: fc.constantFrom('stdout', 'stderr'),
    text: fc.oneof(fc.string(), fc.array(fc.string())),
    data: fc.dictionary(mime, fc.oneof(fc.string(), fc.array(fc.string()))),
    metadata: anyKeys,
    transient: anyKeys,
    execution_count: fc.oneof(fc.integer(), fc.constant(null)),
    ename: fc.string(),
    evalue: fc.string(),
    traceback: fc.array(fc.string())
  },
  { requiredKeys: ['output_type'] }
);
const cell = fc.tuple(
  fc.record({
    id: fc.string({ maxLength: 70 }),
    cell_type: fc.oneof(fc.constantFrom('code', 'markdown', 'raw'), fc.string()),
    source: fc.oneof(fc.string(), fc.array(fc.string())),
    metadata: anyKeys,
    attachments: anyKeys,
    execution_count: fc.oneof(fc.integer(), fc.constant(null)),
    outputs: fc.array(output, { maxLength: 3 })
  }),
  anyKeys
);
const notebook = fc.record({
  nbformat: fc.constant(4),
  nbformat_minor: fc.integer({ min: 0, max: 6 }),
  metadata: fc.tuple(anyKeys, fc.record({ kernelspec: anyKeys, language_info: anyKeys })),
  cells: fc.array(cell, { maxLength: 5 }),
  extra: anyKeys
});

test('property: for random notebooks with random metadata, the released notebook holds no key outside the allow-list', () => {
  fc.assert(
    fc.property(notebook, generated => {
      const nb = {
        ...generated.extra,
        nbformat: generated.nbformat,
        nbformat_minor: generated.nbformat_minor,
        metadata: { ...generated.metadata[0], ...generated.metadata[1] },
        cells: generated.cells.map(([c, extra]) => ({ ...extra, ...c }))
      };
      const released = rebuildNotebook(nb, (_i, _j, o) => rebuildOutput(o).output);
      const outside = keyPaths(released).filter(p => !allowed.some(a => a.test(p)));
      assert.deepEqual(outside, []);
      // Every cell and output's metadata is empty.
      for (const c of released.cells as { metadata: object; outputs?: { metadata?: object }[] }[]) {
        assert.deepEqual(c.metadata, {});
        (c.outputs ?? []).forEach(o =>
          assert.ok(o.metadata === undefined || Object.keys(o.metadata).length === 0)
        );
      }
    }),
    { numRuns: 300, seed: 11 }
  );
});
