// Reads of the images read model: one image with its tags and properties, members,
// storage used per project, and pages of the list (image-list-sql.ts builds those).
import type { WritableAttributes } from '../domain/image/attributes.js';
import type { ImageListQuery } from '../domain/image/list-query.js';
import type { Viewer } from '../domain/image/visibility.js';
import type { ContainerFormat, DiskFormat, MemberStatus, Visibility } from '../domain/image/vocabulary.js';
import { listImagesSql, markerSql } from './image-list-sql.js';
import type { ReadModelDatabase } from './read-model.js';

export interface ImageRow {
  id: string;
  owner: string;
  status: string;
  name: string | null;
  visibility: string;
  protected: number;
  os_hidden: number;
  container_format: string | null;
  disk_format: string | null;
  min_ram: number;
  min_disk: number;
  size: number | null;
  virtual_size: number | null;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  location: string | null;
  staged_location: string | null;
  staged_size: number | null;
  created_at: string;
  updated_at: string;
}

/** An image as the API shows it: its row, tags and extra properties. */
export interface ImageRecordView extends ImageRow {
  tags: string[];
  properties: Record<string, string>;
}

/** The attributes a client may change, typed back from their columns (booleans are 0/1 there). */
export function writableAttributesOf(image: ImageRecordView): WritableAttributes {
  return {
    name: image.name,
    visibility: image.visibility as Visibility,
    protected: image.protected === 1,
    os_hidden: image.os_hidden === 1,
    container_format: image.container_format as ContainerFormat | null,
    disk_format: image.disk_format as DiskFormat | null,
    min_ram: image.min_ram,
    min_disk: image.min_disk,
    tags: image.tags,
  };
}

export interface MemberRow {
  image_id: string;
  member_id: string;
  status: MemberStatus;
  created_at: string;
  updated_at: string;
}

const MAX_CACHED_STATEMENTS = 256;

export function imageQueries(db: ReadModelDatabase) {
  const byId = db.prepare<[string], ImageRow>('SELECT * FROM images WHERE id = ?');
  const receiving = db.prepare<[], { id: string }>(`SELECT id FROM images WHERE status IN ('saving', 'uploading')`);
  const tagsOf = db.prepare<[string], { image_id: string; tag: string }>(
    'SELECT image_id, tag FROM image_tags WHERE image_id IN (SELECT value FROM json_each(?)) ORDER BY tag',
  );
  const propertiesOf = db.prepare<[string], { image_id: string; key: string; value: string }>(
    'SELECT image_id, key, value FROM image_properties WHERE image_id IN (SELECT value FROM json_each(?)) ORDER BY key',
  );
  const memberOf = db.prepare<[string, string], MemberRow>('SELECT * FROM image_members WHERE image_id = ? AND member_id = ?');
  const membersOf = db.prepare<[string], MemberRow>('SELECT * FROM image_members WHERE image_id = ? ORDER BY created_at, member_id');
  const storageOf = db.prepare<[string], { used: number }>(
    'SELECT coalesce(sum(coalesce(size, 0) + coalesce(staged_size, 0)), 0) AS used FROM images WHERE owner = ?',
  );
  // Lists differ in shape (filters, IN-list lengths), so their statements are cached by text, boundedly.
  const statements = new Map<string, ReturnType<ReadModelDatabase['prepare']>>();
  const prepared = (sql: string) => {
    if (statements.size > MAX_CACHED_STATEMENTS) statements.clear();
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };

  /** Adds tags and properties to rows, two queries for the whole page. */
  const withDetails = (rows: ImageRow[]): ImageRecordView[] => {
    const ids = JSON.stringify(rows.map((row) => row.id));
    const views = new Map<string, ImageRecordView>(rows.map((row) => [row.id, { ...row, tags: [], properties: {} }]));
    for (const { image_id, tag } of tagsOf.all(ids)) views.get(image_id)?.tags.push(tag);
    for (const { image_id, key, value } of propertiesOf.all(ids)) {
      const view = views.get(image_id);
      if (view) view.properties[key] = value;
    }
    return [...views.values()];
  };

  return {
    /** Images an API process is receiving data for (direct upload or glance-direct staging). */
    receivingData: (): string[] => receiving.all().map((row) => row.id),
    image(id: string): ImageRecordView | undefined {
      const row = byId.get(id);
      return row ? withDetails([row])[0] : undefined;
    },
    membership: (imageId: string, projectId: string | null): MemberStatus | null =>
      projectId === null ? null : (memberOf.get(imageId, projectId)?.status ?? null),
    member: (imageId: string, memberId: string) => memberOf.get(imageId, memberId),
    members: (imageId: string) => membersOf.all(imageId),
    /** Bytes a project's images hold in the store, staged data included (user_storage_quota). */
    storageUsed: (owner: string) => storageOf.get(owner)?.used ?? 0,
    /** One page of the list; undefined when the marker is not an image (the caller checks it may be seen). */
    list(query: ImageListQuery, viewer: Viewer): ImageRecordView[] | undefined {
      let after: unknown[] | undefined;
      if (query.marker !== null) {
        after = prepared(markerSql(query)).raw().get(query.marker) as unknown[] | undefined;
        if (!after) return undefined;
      }
      const page = listImagesSql(query, viewer, after);
      return withDetails(prepared(page.sql).all(page.params) as ImageRow[]);
    },
  };
}

export type ImageQueries = ReturnType<typeof imageQueries>;
