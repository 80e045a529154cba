import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkNotebook, jsonDepth } from './notebook.js';

describe('notebook shape', () => {
  it('counts nesting outside strings only', () => {
    assert.equal(jsonDepth('{"a": [1, {"b": "[[[{{{"}]}'), 3);
    assert.equal(jsonDepth('{"a": "\\"[["}'), 1);
    assert.equal(jsonDepth('[]'), 1);
  });

  it('refuses deep, large and non-notebook JSON with a sentence', () => {
    const limits = { notebook_mb: 1, notebook_depth: 8 };
    assert.throws(
      () => checkNotebook('n.ipynb', Buffer.from('['.repeat(9) + ']'.repeat(9)), limits),
      /nests its JSON 9 levels deep; notebooks may nest at most 8/
    );
    assert.throws(
      () => checkNotebook('n.ipynb', Buffer.alloc(2 * 1048576, 0x20), limits),
      /is 2\.0 MB; notebooks may have at most 1 MB/
    );
    assert.throws(() => checkNotebook('n.ipynb', Buffer.from('{"cells": []}'), limits), /format 4/);
    assert.deepEqual(
      checkNotebook('n.ipynb', Buffer.from('{"nbformat": 4, "cells": []}'), limits),
      { nbformat: 4, cells: [] }
    );
  });
});
