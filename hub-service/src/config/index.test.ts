import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from './index.js';

describe('service config', () => {
  it('fills defaults and resolves paths against the config folder', () => {
    const config = parseConfig({}, '/srv/hbroker');
    assert.equal(config.listen.port, 8765);
    assert.equal(config.state_dir, '/srv/hbroker/.hbroker/state');
    assert.equal(config.store.path, '/srv/hbroker/.hbroker/state/hbroker.sqlite');
    assert.equal(
      config.release.policy,
      'review',
      'nothing is released without a checker unless an admin says so'
    );
    assert.equal(config.executor.runtime, 'runc');
    assert.deepEqual(config.limits.default, { cpus: 1, memory_mb: 1024, timeout_seconds: 600 });
  });

  it('makes a failed run say nothing by default under release policy auto, and where it failed otherwise', () => {
    assert.equal(parseConfig({ release: { policy: 'auto' } }, '/').vetting.failure_detail, 'none');
    assert.equal(parseConfig({}, '/').vetting.failure_detail, 'cell');
    assert.equal(
      parseConfig({ release: { policy: 'auto' }, vetting: { failure_detail: 'cell' } }, '/').vetting
        .failure_detail,
      'cell'
    );
    assert.equal(parseConfig({}, '/').limits.runs_per_day, 20);
    assert.throws(
      () => parseConfig({ vetting: { failure_detail: 'some' } }, '/'),
      /config\.vetting\.failure_detail: must be equal to one of the allowed values: cell, none/
    );
  });

  it('names an unknown or wrong field', () => {
    assert.throws(
      () => parseConfig({ executor: { runtime: 'kata' } }, '/'),
      /config\.executor\.runtime: must be equal to one of the allowed values: runc, runsc/
    );
    assert.throws(
      () => parseConfig({ listen: { prot: 1 } }, '/'),
      /config\.listen: unknown field "prot"/
    );
  });

  it("reads with the caller's JHE token unless told otherwise; broker identity needs its client key", () => {
    const jhe = { url: 'https://jhe.example.org/' };
    assert.equal(parseConfig({ data: { kind: 'jhe', jhe } }, '/').data.jhe?.identity, 'caller');
    assert.throws(
      () => parseConfig({ data: { kind: 'jhe', jhe: { ...jhe, identity: 'broker' } } }, '/'),
      /identity is "broker" but data\.jhe\.client_key_file is not set: create a practitioner client/
    );
    const broker = parseConfig(
      {
        data: {
          kind: 'jhe',
          jhe: {
            ...jhe,
            identity: 'broker',
            client_key_file: 'jhe.key',
            grants: [{ study: '30001', groups: ['cardio'] }]
          }
        }
      },
      '/etc/hbroker'
    );
    assert.equal(broker.data.jhe?.client_key_file, '/etc/hbroker/jhe.key');
    assert.throws(
      () =>
        parseConfig(
          {
            data: {
              kind: 'jhe',
              jhe: {
                ...jhe,
                identity: 'broker',
                client_key_file: 'k',
                grants: [{ study: 'Patient/1' }]
              }
            }
          },
          '/'
        ),
      /config\.data\.jhe\.grants\.0\.study: must match pattern/
    );
  });
});
