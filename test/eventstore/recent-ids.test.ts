// The in-memory recent level of the SQLite id index: which positions hold a key, a
// slice's entries in key order for a merge, and forgetting rolled-back or merged entries.
import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../eventstore/sqlite/recent-ids.js';

const SLICES = 4;
/** Keys 0-99 in slice 0, 100-199 in slice 1, …; 2^20 + k shares k's filter counter. */
const sliceOf = (key: number) => Math.floor((key % 2 ** 20) / 100) % SLICES;

function filled(entries: [key: number, position: number][]): RecentIds {
  const recent = new RecentIds(SLICES, sliceOf, 0);
  for (const [key, position] of entries) recent.add(key, position);
  return recent;
}

describe('RecentIds', () => {
  it('finds every position of a key, and none for a key sharing only its filter counter', () => {
    const recent = filled([[5, 1], [105, 2], [5, 3], [2 ** 20 + 105, 4]]);
    expect(recent.positionsOf(5)).toEqual([1, 3]);
    expect(recent.positionsOf(105)).toEqual([2]);
    expect(recent.positionsOf(2 ** 20 + 5)).toEqual([]);
    expect(recent.positionsOf(6)).toEqual([]);
    expect(recent.lastPosition).toBe(4);
  });

  it("lists one slice's entries in a position window, sorted by key then position", () => {
    const recent = filled([[50, 1], [10, 2], [150, 3], [10, 4], [30, 5], [20, 6]]);
    expect(recent.sliceBetween(0, 1, 5)).toEqual([10, 2, 10, 4, 30, 5]);
    expect(recent.sliceBetween(1, 0, 6)).toEqual([150, 3]);
    expect(recent.sliceBetween(2, 0, 6)).toEqual([]);
  });

  it('forgets rolled-back entries in every slice', () => {
    const recent = filled([[1, 1], [101, 2], [2, 3], [102, 4]]);
    recent.truncateAfter(2);
    expect([recent.positionsOf(2), recent.positionsOf(102)]).toEqual([[], []]);
    expect([recent.positionsOf(1), recent.positionsOf(101)]).toEqual([[1], [2]]);
    expect(recent.lastPosition).toBe(2);
    recent.add(2, 3);
    expect(recent.positionsOf(2)).toEqual([3]);
  });

  it("forgets one slice's merged entries, keeps the others, and stays right across compactions", () => {
    const recent = new RecentIds(SLICES, sliceOf, 0);
    for (let position = 1; position <= 1_000; position += 1) recent.add(position % 2 === 0 ? 7 : 107, position);
    for (let through = 100; through <= 900; through += 100) recent.dropThrough(0, through);
    expect(recent.positionsOf(7)).toEqual(Array.from({ length: 50 }, (_, i) => 902 + 2 * i));
    expect(recent.positionsOf(107)).toHaveLength(500);
    expect(recent.sliceBetween(0, 0, 1_000)).toHaveLength(100);
    recent.truncateAfter(950);
    expect(recent.positionsOf(7)).toEqual(Array.from({ length: 25 }, (_, i) => 902 + 2 * i));
  });
});
