import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { locateConfig, usualConfigPlaces } from './locate.js';

describe('finding the config as hbroker serve does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hbroker-locate-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const places = [join(dir, 'a.json'), join(dir, 'b.json')];

  it('takes --config, then $HBROKER_CONFIG, as the service does', () => {
    assert.deepEqual(locateConfig('x.json', { HBROKER_CONFIG: 'y.json' }, places), {
      path: resolve('x.json'),
      source: '--config',
      looked: ['--config']
    });
    assert.equal(
      locateConfig(undefined, { HBROKER_CONFIG: 'y.json' }, places).source,
      '$HBROKER_CONFIG'
    );
  });

  it('else the first usual place holding a file, and says where it looked when none does', () => {
    assert.deepEqual(locateConfig(undefined, {}, places), {
      source: 'none found',
      looked: ['--config', '$HBROKER_CONFIG', ...places]
    });
    writeFileSync(places[1], '{}');
    assert.deepEqual(locateConfig(undefined, {}, places).path, places[1]);
  });

  it("looks in the working folder and the npm start stack's folder", () => {
    const [here, stack] = usualConfigPlaces('/srv/hub', '/opt/hbroker/');
    assert.equal(here, join('/srv/hub', 'hbroker.config.json'));
    assert.equal(stack, join('/opt/hbroker', '.hbroker', 'stack', 'hbroker.config.json'));
  });
});
