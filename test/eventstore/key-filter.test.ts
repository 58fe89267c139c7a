// The Bloom filter over merged id keys: never "no" for a key it holds, as it grows past
// its first part, and rarely "maybe" for one it does not.
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyFilter } from '../../eventstore/sqlite/key-filter.js';

const randomKey = () => randomInt(2 ** 47) * 2 + randomInt(2);

describe('KeyFilter', () => {
  it('holds every key added, across parts, and rules out nearly all others', () => {
    const filter = new KeyFilter();
    // Four times its first part's capacity: keys land in three parts.
    const added = Array.from({ length: 4 * 65_536 }, randomKey);
    for (const key of added) filter.add(key);
    expect(added.filter((key) => !filter.mayContain(key))).toEqual([]);
    const held = new Set(added);
    const absent = Array.from({ length: 100_000 }, randomKey).filter((key) => !held.has(key));
    const falsePositives = absent.filter((key) => filter.mayContain(key)).length;
    expect(falsePositives / absent.length).toBeLessThan(0.005);
  });

  it('tells keys apart that share either 24-bit half', () => {
    const filter = new KeyFilter();
    const key = 0xabcdef * 2 ** 24 + 0x123456;
    filter.add(key);
    expect(filter.mayContain(key)).toBe(true);
    expect(filter.mayContain(0xabcdef * 2 ** 24 + 0x123457)).toBe(false);
    expect(filter.mayContain(0xabcdee * 2 ** 24 + 0x123456)).toBe(false);
    expect(filter.mayContain(0)).toBe(false);
  });
});
