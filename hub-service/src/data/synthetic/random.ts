// A seeded random stream (sfc32 from a cyrb128 hash of the seed): same seed, same numbers, fast.

/** cyrb128: four 32-bit words from a string, well mixed, for seeding. */
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** An unsigned 32-bit hash of a string (for deriving id blocks from a seed). */
export const hash32 = (text: string): number => hash128(text)[0];

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  /** Streams are named by their parts (seed, patient, code) so one stream never shifts another. */
  constructor(...parts: (string | number)[]) {
    [this.a, this.b, this.c, this.d] = hash128(parts.join('\u0000'));
    for (let i = 0; i < 12; i++) {
      this.uint32(); // sfc32 needs a few rounds before its output is well mixed
    }
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    const u = 1 - this.next(); // (0, 1]: log(0) is not a number
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.next();
    this.spareNormal = r * Math.sin(theta);
    return mean + sd * r * Math.cos(theta);
  }

  /** Normal, clamped to [low, high]: physiology has hard edges a tail must not cross. */
  bounded(mean: number, sd: number, low: number, high: number): number {
    return Math.min(high, Math.max(low, this.normal(mean, sd)));
  }

  /** An RFC 4122 version 4 UUID made from this stream (so it repeats with the seed). */
  uuid(): string {
    const w0 = this.uint32();
    const w1 = this.uint32();
    const w2 = this.uint32();
    const w3 = this.uint32();
    const version = ((w1 >>> 8) & 0x0f) | 0x40;
    const variant = ((w2 >>> 24) & 0x3f) | 0x80;
    return (
      HEX[w0 >>> 24] +
      HEX[(w0 >>> 16) & 255] +
      HEX[(w0 >>> 8) & 255] +
      HEX[w0 & 255] +
      '-' +
      HEX[w1 >>> 24] +
      HEX[(w1 >>> 16) & 255] +
      '-' +
      HEX[version] +
      HEX[w1 & 255] +
      '-' +
      HEX[variant] +
      HEX[(w2 >>> 16) & 255] +
      '-' +
      HEX[(w2 >>> 8) & 255] +
      HEX[w2 & 255] +
      HEX[w3 >>> 24] +
      HEX[(w3 >>> 16) & 255] +
      HEX[(w3 >>> 8) & 255] +
      HEX[w3 & 255]
    );
  }
}
