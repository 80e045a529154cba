// The checker's preview shows what release will write: invisible characters marked where they are,
// what release drops or re-encodes said above it, a CSV as the table that will leave, the name marked.
import { nullTranslator } from '@jupyterlab/translation';
import { TextDecoder, TextEncoder } from 'node:util';
import type { Artifact, Finding } from '../request';
import { previewOf } from '../review/content';
import { appendMarked, previewView } from '../review/previewView';

Object.assign(globalThis, { TextDecoder, TextEncoder });

const trans = nullTranslator.load('hbroker');

const artifact = (path: string, findings: Finding[]): Artifact => ({
  path,
  kind: 'output',
  size: 1,
  sha256: '0'.repeat(64),
  status: 'pending',
  findings
});

describe('the review preview', () => {
  it('marks each invisible character as its code point, on the flagged line', () => {
    const findings: Finding[] = [
      {
        check: 'release',
        verdict: 'fail',
        reason:
          '2 invisible or formatting characters (2 format) on line 2: they can carry data a reader cannot see. Release removes them.'
      },
      {
        check: 'release',
        verdict: 'fail',
        reason: 'Invisible or formatting characters on this line.',
        location: { file: 'summary.txt', row: 1 }
      }
    ];
    const a = artifact('summary.txt', findings);
    const box = previewView(
      previewOf(a, new TextEncoder().encode('Study summary\nmean 75\u200b\u200c\n')),
      findings,
      trans
    );
    const marks = [...box.querySelectorAll('mark.jp-hbroker-hidden')].map(m => m.textContent);
    expect(marks).toEqual(['⟦U+200B⟧', '⟦U+200C⟧']);
    const lines = box.querySelectorAll('pre > span');
    expect(lines[1].className).toBe('jp-hbroker-flagged');
    expect(lines[1].textContent).toBe('mean 75⟦U+200B⟧⟦U+200C⟧\n');
    expect(box.querySelector('.jp-hbroker-Preview-release')?.textContent).toMatch(
      /^On release: 2 invisible or formatting characters/
    );
  });

  it('says what release drops and re-encodes, and shows a CSV as the table that will be released', () => {
    const findings: Finding[] = [
      {
        check: 'release',
        verdict: 'pass',
        reason: 'Release re-encodes its CSV, written again from the parse.'
      }
    ];
    const a = artifact('counts.csv', findings);
    const box = previewView(
      previewOf(a, new TextEncoder().encode('group,count\n"a, b",12\nc\u00a0d,30\n')),
      findings,
      trans
    );
    expect(box.querySelector('.jp-hbroker-Preview-release')?.textContent).toBe(
      'On release: Release re-encodes its CSV, written again from the parse.'
    );
    const cells = [...box.querySelectorAll('tbody tr')].map(r =>
      [...r.children].map(c => c.textContent)
    );
    expect(cells).toEqual([
      ['a, b', '12'],
      ['c⟦U+00A0⟧d', '30']
    ]);
  });

  it('marks invisible characters in a name', () => {
    const title = document.createElement('h3');
    appendMarked(title, 'report\u202efdp.csv', trans);
    expect(title.textContent).toBe('report⟦U+202E⟧fdp.csv');
    expect(title.querySelectorAll('mark')).toHaveLength(1);
  });
});
