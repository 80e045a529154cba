// The seeded random stream: repeatable, independent per name, and shaped as its methods promise.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeededRandom } from './random.js';

const draw = (r: SeededRandom, n: number) => Array.from({ length: n }, () => r.next());

describe('SeededRandom', () => {
  it('repeats for the same name and differs for another', () => {
    assert.deepEqual(draw(new SeededRandom('a', 1), 50), draw(new SeededRandom('a', 1), 50));
    assert.notDeepEqual(draw(new SeededRandom('a', 1), 50), draw(new SeededRandom('a', 2), 50));
    // Parts are kept apart: ('a1', 2) is not ('a', 12).
    assert.notDeepEqual(draw(new SeededRandom('a1', 2), 5), draw(new SeededRandom('a', 12), 5));
  });

  it('draws uniform numbers in [0, 1) and normals with the asked mean and spread', () => {
    const r = new SeededRandom('shape');
    const u = draw(r, 20000);
    assert.ok(u.every(x => x >= 0 && x < 1));
    const m = u.reduce((a, b) => a + b, 0) / u.length;
    assert.ok(Math.abs(m - 0.5) < 0.01, `uniform mean ${m}`);
    const z = Array.from({ length: 20000 }, () => r.normal(10, 2));
    const zm = z.reduce((a, b) => a + b, 0) / z.length;
    const zsd = Math.sqrt(z.reduce((a, b) => a + (b - zm) ** 2, 0) / z.length);
    assert.ok(Math.abs(zm - 10) < 0.05 && Math.abs(zsd - 2) < 0.05, `normal ${zm} ± ${zsd}`);
    assert.ok(
      Array.from({ length: 1000 }, () => r.bounded(0, 5, -1, 1)).every(x => x >= -1 && x <= 1)
    );
  });

  it('makes RFC 4122 version 4 UUIDs, all different', () => {
    const r = new SeededRandom('uuid');
    const ids = Array.from({ length: 5000 }, () => r.uuid());
    for (const id of ids) {
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    assert.equal(new Set(ids).size, ids.length);
  });
});
