// Names and shapes are checked at submission, with the rule the release side uses: each refusal is a
// sentence, and nothing is stored.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tar from 'tar-stream';
import { packBundle } from '../hub-service/src/bundle/index.js';
import { ApiClient } from '../hub-service/src/cli/client.js';
import { file, notebook, submission } from './support/notebook.js';
import { startTestService, type ITestService } from './support/service.js';

/** A tar whose first entry's ustar name holds a NUL at `at` (tar-stream would read it cut short there). */
async function tarWithNulInName(name: string, at: number): Promise<Buffer> {
  const packed = Buffer.from(await packBundle([file(name, notebook('1'))]));
  packed[at] = 0;
  packed.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) {
    sum += packed[i];
  }
  packed.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return packed;
}

describe('names and shapes at submission', () => {
  let hb: ITestService;
  before(async () => {
    hb = await startTestService({ limits: { notebook_mb: 1 } });
  });
  after(async () => {
    await hb.stop();
  });

  const nothingStored = async () => {
    const { body } = await hb.api('/api/v1/jobs');
    assert.equal(body.jobs.length, 0, 'no job was stored');
    assert.deepEqual(readdirSync(join(hb.config.state_dir, 'archive', 'objects')), []);
    const scratch = join(hb.config.state_dir, 'ingress');
    assert.ok(!existsSync(scratch) || readdirSync(scratch).length === 0, 'no scratch left');
  };
  const refused = async (body: unknown, message: RegExp) => {
    const r = await hb.submit(body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.error.message, message);
    await nothingStored();
  };
  const withFile = (path: string) =>
    submission([file('analysis.ipynb', notebook('1')), file(path, 'x')]);

  it('refuses a name longer than 255 bytes', async () => {
    await refused(
      await withFile(`${'n'.repeat(300)}.csv`),
      /has a name of 304 bytes; names may have at most 255 bytes/
    );
  });

  it('refuses a path of 100,000 characters, quoting it cut short', async () => {
    const r = await hb.submit(
      await withFile(`${'abcdefghi/'.repeat(10000)}`.slice(0, 99996) + '.csv')
    );
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /is 100000 characters long; paths may have at most 1024/);
    assert.ok(r.body.error.message.length < 400, 'the sentence quotes the path cut short');
    await nothingStored();
  });

  it('refuses a path more than 32 folders deep', async () => {
    await refused(
      await withFile(`${'d/'.repeat(40)}x.csv`),
      /is 41 folders deep; paths may be at most 32 deep/
    );
  });

  it('refuses a right-to-left override in a file name, showing it', async () => {
    await refused(
      await withFile('report\u202Ecsv.exe'),
      /"report⟦U\+202E⟧csv\.exe" contains characters a reader cannot see/
    );
  });

  it('refuses a zero-width character in a requested output name', async () => {
    await refused(
      await submission([file('analysis.ipynb', notebook('1'))], { outputs: ['sum\u200Bmary.csv'] }),
      /requested output "sum⟦U\+200B⟧mary\.csv" contains characters a reader cannot see/
    );
  });

  it('refuses a NUL inside a tar entry name, which a tar reader would cut short', async () => {
    await refused(
      {
        manifest: { notebook: 'analysis.ipynb', study: 'demo' },
        bundle: (await tarWithNulInName('analysis.ipynbXsecret', 14)).toString('base64')
      },
      /an entry's name holds a NUL character/
    );
  });

  it('refuses a notebook whose metadata nests 100,000 levels', async () => {
    const deep = `{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {"x": ${'['.repeat(100000)}${']'.repeat(100000)}}}`;
    await refused(
      await submission([file('analysis.ipynb', deep)]),
      /nests its JSON 100002 levels deep; notebooks may nest at most 64/
    );
  });

  it('refuses a notebook over the size limit', async () => {
    const big = JSON.stringify({
      ...JSON.parse(notebook('1')),
      metadata: { pad: 'x'.repeat(1.5 * 1048576) }
    });
    await refused(
      await submission([file('analysis.ipynb', big)]),
      /is 1\.5 MB; notebooks may have at most 1 MB/
    );
  });

  it('refuses the same names in the streamed form, storing nothing', async () => {
    process.env.HBROKER_TOKEN = hb.token;
    const client = new ApiClient({ url: hb.url });
    const error = await client
      .submit(
        { notebook: 'analysis.ipynb', study: 'demo' },
        await packBundle([file('analysis.ipynb', notebook('1')), file('a\u2066b.csv', 'x')])
      )
      .catch(e => e);
    assert.equal(error.status, 400);
    assert.match(error.message, /"a⟦U\+2066⟧b\.csv" contains characters a reader cannot see/);
    await nothingStored();
  });
});

describe('tar-stream cuts names at NUL (why the raw headers are checked)', () => {
  it('reads "analysis.ipynb\\0secret" as "analysis.ipynb"', async () => {
    const extract = tar.extract();
    extract.end(await tarWithNulInName('analysis.ipynbXsecret', 14));
    for await (const entry of extract) {
      assert.equal(entry.header.name, 'analysis.ipynb');
      entry.resume();
    }
  });
});
