// Where a compute host gets an image's bytes: straight from the filesystem image store
// when its file is readable here (one machine, or a shared NFS store), otherwise over
// the Glance API. Each source may start at an offset, so an interrupted download resumes.
import type { Readable } from 'node:stream';

export interface ImageBytes {
  stream: Readable;
  /** Where the stream really starts: the asked offset, or 0 when the source cannot skip. */
  offset: number;
  /** For logs and errors: which source and file or URL. */
  origin: string;
}

export interface ImageSource {
  /** The image's bytes from offset, or null when this source does not have them. */
  open(imageId: string, offset: number): Promise<ImageBytes | null>;
  /**
   * The file holding the image's bytes when it is readable on this host and never changes
   * (a filesystem store's file), so the cache may link it rather than copy it; else null.
   */
  localFile?(imageId: string): Promise<string | null>;
}

/** Asks each source in turn; the first that has the image serves it. */
export function firstAvailable(...sources: ImageSource[]): ImageSource {
  return {
    async open(imageId, offset) {
      for (const source of sources) {
        const bytes = await source.open(imageId, offset);
        if (bytes) return bytes;
      }
      return null;
    },
    async localFile(imageId) {
      for (const source of sources) {
        const file = (await source.localFile?.(imageId)) ?? null;
        if (file) return file;
      }
      return null;
    },
  };
}
