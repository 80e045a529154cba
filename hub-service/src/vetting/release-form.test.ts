import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveFile } from '../release/index.js';
import { ReleaseFormChecker, vet, type ICandidate } from './index.js';
import { fileCandidate } from './test-candidates.js';

/** A file candidate as runCandidates makes it: the checks read what release writes. */
function released(path: string, content: string | Buffer): ICandidate {
  const c = fileCandidate(path, content);
  const form = deriveFile(path, Buffer.isBuffer(content) ? content : Buffer.from(content));
  return { ...c, read: async () => form.bytes, release: async () => form };
}

describe('the release check', () => {
  it('fails hidden characters with their count, kinds and lines, one finding per line', async () => {
    const [a] = await vet(
      [released('s.txt', 'ok\nmean 72\u200b\u200c\nfine\n\u202eend\n')],
      [new ReleaseFormChecker()]
    );
    const fails = a.findings.filter(f => f.verdict === 'fail');
    assert.match(
      fails[0].reason,
      /^3 invisible or formatting characters \(2 format, 1 bidi control\) on lines 2, 4:/
    );
    assert.deepEqual(
      fails.slice(1).map(f => f.location?.row),
      [1, 3]
    );
    // What is vetted and released is the text without them.
    assert.equal(a.size, Buffer.byteLength('ok\nmean 72\nfine\nend\n'));
  });

  it('fails a content that does not match its name, and says what release changes otherwise', async () => {
    const [pickle, csv, pdf] = await vet(
      [
        released('result.csv', Buffer.from([0x80, 0x05, 0x95, 1, 2, 3])),
        released('t.csv', 'a,"b"\n1,2\n'),
        released('r.pdf', '%PDF-1.7\n')
      ],
      [new ReleaseFormChecker()]
    );
    assert.match(pickle.findings[0].reason, /"result\.csv" is a Python pickle, not a CSV file/);
    assert.equal(pickle.findings[0].verdict, 'fail');
    assert.deepEqual(
      csv.findings.map(f => [f.verdict, f.reason]),
      [['pass', 'Release re-encodes its CSV, written again from the parse.']]
    );
    assert.equal(pdf.findings[0].verdict, 'review');
  });
});
