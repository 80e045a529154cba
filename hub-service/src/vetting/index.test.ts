import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../config/index.js';
import { defaultCheckers, vet, type IChecker } from './index.js';
import { fileCandidate, outputCandidate, stream } from './test-candidates.js';

describe('vet', () => {
  it('runs every checker on every candidate, keeps where a cell output sits, and leaves the status pending', async () => {
    const seen: string[] = [];
    const checker: IChecker = {
      name: 'spy',
      async check(c, { index }) {
        seen.push(`${c.path}:${index.identifiers.length}`);
        return [{ check: 'spy', verdict: 'pass', reason: 'ok' }];
      }
    };
    const artifacts = await vet(
      [fileCandidate('a.csv', 'x\n'), outputCandidate(stream('hi'))],
      [checker, checker],
      {
        index: { identifiers: ['p001'], records: [] }
      }
    );
    assert.deepEqual(seen, [
      'a.csv:1',
      'a.csv:1',
      'analysis.ipynb/cells/2/outputs/0:1',
      'analysis.ipynb/cells/2/outputs/0:1'
    ]);
    assert.deepEqual(
      artifacts.map(a => [a.status, a.findings.length, a.cell_output?.stream]),
      [
        ['pending', 2, undefined],
        ['pending', 2, 'stdout']
      ]
    );
  });

  it('has the built-in checkers configured from the service config', async () => {
    const config = parseConfig(
      { vetting: { max_table_rows: 2, tables: { threshold: 3 } } },
      '/tmp'
    );
    const checkers = defaultCheckers(config.vetting);
    assert.deepEqual(
      checkers.map(c => c.name),
      [
        'allow-list',
        'release',
        'names',
        'identifiers',
        'raw-records',
        'row-level-data',
        'tables',
        'models'
      ]
    );
    const [a] = await vet([fileCandidate('t.csv', 'g,n\na,4\nb,5\nc,2\n')], checkers);
    const failing = a.findings.filter(f => f.verdict === 'fail').map(f => f.check);
    assert.deepEqual(failing, ['allow-list', 'tables']);
  });
});
