/**
 * Deterministic randomness for the simulator. Written here rather than taken from a package: it is
 * a few lines, and the simulated fleet must look the same for a given seed on every machine forever.
 *
 * Two kinds are offered:
 * - `mulberry32(seed)`: a sequential generator, for building the fleet once (UUIDs, serials);
 * - `unitNoise(a, b, c, d)`: a stateless hash of integers to [0, 1), so the value of any metric at any
 *   time can be computed on its own, in any order, without replaying earlier samples.
 */

/** The mulberry32 generator: 32 bits of state, uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Final avalanche of MurmurHash3: every input bit affects every output bit. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of integer keys (each taken modulo 2^32). */
export function hashInts(...keys: number[]): number {
  let h = 0x9e3779b9;
  for (const key of keys) {
    h = mix32((h ^ (key >>> 0)) + 0x7f4a7c15);
  }
  return h;
}

/**
 * A value in [0, 1) fixed by four integer keys. Fixed arity because it runs for every simulated
 * sample: no argument array to allocate.
 */
export function unitNoise(a: number, b: number, c: number, d: number): number {
  let h = mix32((0x9e3779b9 ^ (a >>> 0)) + 0x7f4a7c15);
  h = mix32((h ^ (b >>> 0)) + 0x7f4a7c15);
  h = mix32((h ^ (c >>> 0)) + 0x7f4a7c15);
  h = mix32((h ^ (d >>> 0)) + 0x7f4a7c15);
  return h / 4294967296;
}

/** FNV-1a hash of a string, to turn names into integer keys. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `count` lowercase hex digits drawn from a generator. */
export function randomHex(next: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += Math.floor(next() * 16).toString(16);
  return out;
}
