// The recent level of the event id index, held in one writing process's memory: the id
// keys of the newest positions, grouped by the key range (slice) they merge with. It is
// only ever a copy of what the events table says (every row carries its key), so a
// process can rebuild it at any time; keeping it in memory means a commit writes no index
// page for it.

/**
 * Counters indexed by a key's low bits: a zero proves a key absent with one array read,
 * where a Map of the recent keys cost ~4% of a batched append's CPU in lookups and
 * updates. 2^20 two-byte counters (2 MB) leave a nonzero counter for ~3-6% of absent keys
 * at the usual 32-64k recent keys; those are then looked for in their slice.
 */
const FILTER_BITS = 20;
const FILTER_MASK = 2 ** FILTER_BITS - 1;
const NONE: readonly number[] = Object.freeze([]);

/** One slice's entries as parallel arrays in position order; those before `first` are dropped. */
interface Slice {
  keys: number[];
  positions: number[];
  first: number;
}

export class RecentIds {
  private readonly slices: Slice[];
  private readonly counts = new Uint16Array(2 ** FILTER_BITS);
  /** The newest position this copy has seen (it holds every key after the merged ones). */
  lastPosition: number;

  constructor(
    sliceCount: number,
    private readonly sliceOf: (key: number) => number,
    from: number,
  ) {
    this.slices = Array.from({ length: sliceCount }, () => ({ keys: [], positions: [], first: 0 }));
    this.lastPosition = from;
  }

  /** Positions must arrive in increasing order. */
  add(key: number, position: number): void {
    const slice = this.slices[this.sliceOf(key)]!;
    slice.keys.push(key);
    slice.positions.push(position);
    this.counts[key & FILTER_MASK]! += 1;
    this.lastPosition = position;
  }

  /** The positions holding `key`, oldest first: almost always none or one. */
  positionsOf(key: number): readonly number[] {
    if (this.counts[key & FILTER_MASK] === 0) return NONE;
    const slice = this.slices[this.sliceOf(key)]!;
    const positions: number[] = [];
    for (let index = slice.first; index < slice.keys.length; index += 1) {
      if (slice.keys[index] === key) positions.push(slice.positions[index]!);
    }
    return positions;
  }

  /** One slice's entries at positions in (after, through], sorted by key then position, as [key, position, key, position, …]. */
  sliceBetween(sliceIndex: number, after: number, through: number): number[] {
    const slice = this.slices[sliceIndex]!;
    const order: number[] = [];
    for (let index = indexAfter(slice, after); index < slice.positions.length && slice.positions[index]! <= through; index += 1) order.push(index);
    order.sort((a, b) => slice.keys[a]! - slice.keys[b]! || a - b);
    return order.flatMap((index) => [slice.keys[index]!, slice.positions[index]!]);
  }

  /** Forgets the entries after `position`: their rows were rolled back. */
  truncateAfter(position: number): void {
    for (const slice of this.slices) {
      while (slice.positions.length > slice.first && slice.positions.at(-1)! > position) {
        slice.positions.pop();
        this.counts[slice.keys.pop()! & FILTER_MASK]! -= 1;
      }
    }
    this.lastPosition = Math.min(this.lastPosition, position);
  }

  /** Forgets one slice's entries at or before `position`: they are in the merged level for good. `dropped` is given each key forgotten. */
  dropThrough(sliceIndex: number, position: number, dropped?: (key: number) => void): void {
    const slice = this.slices[sliceIndex]!;
    const end = indexAfter(slice, position);
    for (let index = slice.first; index < end; index += 1) {
      this.counts[slice.keys[index]! & FILTER_MASK]! -= 1;
      dropped?.(slice.keys[index]!);
    }
    slice.first = end;
    // Compact once half of the arrays is dropped entries, so dropping stays cheap on average.
    if (slice.first > slice.positions.length / 2) {
      slice.keys = slice.keys.slice(slice.first);
      slice.positions = slice.positions.slice(slice.first);
      slice.first = 0;
    }
  }
}

/** Index of the slice's first live entry with a position after `position` (binary search). */
function indexAfter(slice: Slice, position: number): number {
  let [low, high] = [slice.first, slice.positions.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (slice.positions[middle]! <= position) low = middle + 1;
    else high = middle;
  }
  return low;
}
