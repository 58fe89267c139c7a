// A Bloom filter over 48-bit id keys: `mayContain` is true for every key added, and for
// about 1 in 1,700 keys that were not (16 bits and 8 probes per key). It grows without
// being rebuilt: when one part holds its capacity, a part twice as large takes the next
// keys, and a lookup asks every part (a few, as they double).

const BITS_PER_KEY = 16;
const PROBES = 8;
const FIRST_CAPACITY = 2 ** 16;

interface Part {
  bits: Uint32Array;
  /** Bit count minus one: the bit count is a power of two. */
  mask: number;
  capacity: number;
  count: number;
}

function part(capacity: number): Part {
  const bitCount = 2 ** Math.ceil(Math.log2(capacity * BITS_PER_KEY));
  return { bits: new Uint32Array(bitCount / 32), mask: bitCount - 1, capacity, count: 0 };
}

/**
 * The probes of `key` are first + i × step (double hashing): two 32-bit values mixed from
 * the key's two 24-bit halves, which are random already (a UUID's leading bits).
 */
function probes(key: number): [first: number, step: number] {
  const [low, high] = [key % 2 ** 24, Math.floor(key / 2 ** 24)];
  return [Math.imul(low ^ (high << 8), 0x9e3779b1) >>> 0, (Math.imul(high ^ (low << 8), 0x85ebca6b) | 1) >>> 0];
}

export class KeyFilter {
  private readonly parts: Part[];

  constructor(expectedKeys = 0) {
    this.parts = [part(Math.max(FIRST_CAPACITY, 2 * expectedKeys))];
  }

  add(key: number): void {
    let current = this.parts.at(-1)!;
    if (current.count >= current.capacity) {
      current = part(2 * current.capacity);
      this.parts.push(current);
    }
    const [first, step] = probes(key);
    for (let probe = 0, bit = first; probe < PROBES; probe += 1, bit = (bit + step) >>> 0) {
      const index = bit & current.mask;
      current.bits[index >>> 5]! |= 1 << (index & 31);
    }
    current.count += 1;
  }

  mayContain(key: number): boolean {
    const [first, step] = probes(key);
    return this.parts.some(({ bits, mask }) => {
      for (let probe = 0, bit = first; probe < PROBES; probe += 1, bit = (bit + step) >>> 0) {
        const index = bit & mask;
        if ((bits[index >>> 5]! & (1 << (index & 31))) === 0) return false;
      }
      return true;
    });
  }
}
