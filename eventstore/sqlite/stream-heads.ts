// The heads of the streams written to since the stream index's last merge, held in one
// writing process's memory: an append finds its stream's last revision and hash here,
// without searching the log's tail, and falls back to `stream_index` for a stream the
// tail does not hold. Like the recent ids it is only a copy of the events table, caught
// up at the start of each write transaction, so it holds every stream in the tail.
import { streamMergedThrough } from './stream-index.js';

export interface StreamHead {
  revision: number;
  hash: string;
  position: number;
}

export class StreamHeads {
  private readonly heads = new Map<string, StreamHead>();
  /** What each add replaced, newest last, since the last committed state: a rollback restores it. */
  private undo: { stream: string; replaced: StreamHead | undefined }[] = [];
  /** The index holds every event up to here: no head kept is this old. */
  private indexedThrough = 0;

  get(stream: string): StreamHead | undefined {
    return this.heads.get(stream);
  }

  /** Heads must arrive in log order. */
  add(stream: string, head: StreamHead): void {
    this.undo.push({ stream, replaced: this.heads.get(stream) });
    this.heads.set(stream, head);
  }

  /**
   * Everything added so far is committed, up to the log's `head`: nothing will be rolled
   * back, and the streams whose last event the index now holds are forgotten.
   */
  committed(head: number): void {
    this.undo = [];
    const indexed = streamMergedThrough(head);
    if (indexed <= this.indexedThrough) return;
    this.indexedThrough = indexed;
    for (const [stream, { position }] of this.heads) {
      if (position <= indexed) this.heads.delete(stream);
    }
  }

  /** Forgets the heads added after `position`: their events were rolled back. */
  truncateAfter(position: number): void {
    for (let entry = this.undo.at(-1); entry && this.heads.get(entry.stream)!.position > position; entry = this.undo.at(-1)) {
      this.undo.pop();
      if (entry.replaced) this.heads.set(entry.stream, entry.replaced);
      else this.heads.delete(entry.stream);
    }
  }
}
