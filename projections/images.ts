// The images read model: one row per live image (deleted images leave it), its extra
// properties, tags and members, shaped for Glance's lists and filters. Times come from
// the events' metadata, so a rebuild reproduces them exactly.
import type { Database, Statement } from 'better-sqlite3';
import type { ImageEvent } from '../domain/image/events.js';
import { imageEventSchemas } from '../domain/image/events.js';
import type { RecordedEvent } from '../eventstore/port.js';
import type { TableNames } from './projection.js';
import { defineProjection } from './projection.js';

const TABLES = ['images', 'image_properties', 'image_tags', 'image_members'] as const;
type Tables = TableNames<(typeof TABLES)[number]>;

type Params = Record<string, string | number | null>;

const ATTRIBUTE_COLUMNS = ['name', 'visibility', 'protected', 'os_hidden', 'container_format', 'disk_format', 'min_ram', 'min_disk'] as const;

function prepareStatements(db: Database, t: Tables) {
  const run = (sql: string): Statement<[Params]> => db.prepare<[Params]>(sql);
  const setAttributes = ATTRIBUTE_COLUMNS.map((column) => `${column} = CASE WHEN @${column}_set THEN @${column} ELSE ${column} END`).join(', ');
  return {
    insertImage: run(
      `INSERT OR REPLACE INTO ${t.images} (id, owner, status, ${ATTRIBUTE_COLUMNS.join(', ')}, created_at, updated_at)
       VALUES (@id, @owner, 'queued', ${ATTRIBUTE_COLUMNS.map((column) => `@${column}`).join(', ')}, @at, @at)`,
    ),
    updateAttributes: run(`UPDATE ${t.images} SET ${setAttributes}, updated_at = @at WHERE id = @id`),
    setStatus: run(`UPDATE ${t.images} SET status = @status, updated_at = @at WHERE id = @id`),
    setOwner: run(`UPDATE ${t.images} SET owner = @owner, updated_at = @at WHERE id = @id`),
    stage: run(`UPDATE ${t.images} SET staged_location = @location, staged_size = @size, updated_at = @at WHERE id = @id`),
    activate: run(
      `UPDATE ${t.images} SET status = 'active', location = @location, size = @size, virtual_size = @virtual_size, checksum = @checksum,
         os_hash_algo = @os_hash_algo, os_hash_value = @os_hash_value, staged_location = NULL, staged_size = NULL, updated_at = @at WHERE id = @id`,
    ),
    backToQueued: run(`UPDATE ${t.images} SET status = 'queued', staged_location = NULL, staged_size = NULL, updated_at = @at WHERE id = @id`),
    setProperty: run(`INSERT OR REPLACE INTO ${t.image_properties} (image_id, key, value) VALUES (@id, @key, @value)`),
    removeProperty: run(`DELETE FROM ${t.image_properties} WHERE image_id = @id AND key = @key`),
    clearTags: run(`DELETE FROM ${t.image_tags} WHERE image_id = @id`),
    addTag: run(`INSERT OR IGNORE INTO ${t.image_tags} (image_id, tag) VALUES (@id, @tag)`),
    addMember: run(`INSERT OR REPLACE INTO ${t.image_members} (image_id, member_id, status, created_at, updated_at) VALUES (@id, @member, 'pending', @at, @at)`),
    setMember: run(`UPDATE ${t.image_members} SET status = @status, updated_at = @at WHERE image_id = @id AND member_id = @member`),
    removeMember: run(`DELETE FROM ${t.image_members} WHERE image_id = @id AND member_id = @member`),
    deleteImage: [t.images, t.image_properties, t.image_tags, t.image_members].map((table) =>
      run(`DELETE FROM ${table} WHERE ${table === t.images ? 'id' : 'image_id'} = @id`),
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** SQLite stores booleans as 0/1. */
function sqlValue(value: unknown): string | number | null {
  return typeof value === 'boolean' ? Number(value) : (value as string | number | null);
}

function writeTags(statements: Statements, id: string, tags: readonly string[]): void {
  statements.clearTags.run({ id });
  for (const tag of tags) statements.addTag.run({ id, tag });
}

function writeProperties(statements: Statements, id: string, set: Readonly<Record<string, string>>, removed: readonly string[]): void {
  for (const [key, value] of Object.entries(set)) statements.setProperty.run({ id, key, value });
  for (const key of removed) statements.removeProperty.run({ id, key });
}

function applyImageEvent(statements: Statements, event: ImageEvent, at: string): void {
  const id = event.data.imageId;
  const status = (value: string) => statements.setStatus.run({ id, status: value, at });
  switch (event.type) {
    case 'ImageCreated.v1': {
      const { data } = event;
      statements.insertImage.run({ id, owner: data.owner, at, ...Object.fromEntries(ATTRIBUTE_COLUMNS.map((column) => [column, sqlValue(data[column])])) });
      writeTags(statements, id, data.tags);
      writeProperties(statements, id, data.properties, []);
      return;
    }
    case 'ImageUpdated.v1': {
      const { attributes } = event.data;
      const params: Params = { id, at };
      for (const column of ATTRIBUTE_COLUMNS) {
        params[column] = sqlValue(attributes[column] ?? null);
        params[`${column}_set`] = Number(column in attributes);
      }
      statements.updateAttributes.run(params);
      if (attributes.tags) writeTags(statements, id, attributes.tags);
      writeProperties(statements, id, event.data.setProperties, event.data.removedProperties);
      return;
    }
    case 'ImageOwnerChanged.v1':
      return void statements.setOwner.run({ id, owner: event.data.owner, at });
    case 'ImageUploadStarted.v1':
      return void status('saving');
    case 'ImageStagingStarted.v1':
      return void status('uploading');
    case 'ImageImportStarted.v1':
      return void status('importing');
    case 'ImageDeactivated.v1':
      return void status('deactivated');
    case 'ImageReactivated.v1':
      return void status('active');
    case 'ImageStaged.v1':
      return void statements.stage.run({ id, location: event.data.staged.location, size: event.data.staged.size, at });
    case 'ImageActivated.v1': {
      const { data } = event.data;
      statements.activate.run({ id, at, location: data.location, size: data.size, virtual_size: data.virtualSize, checksum: data.checksum, os_hash_algo: data.osHashAlgo, os_hash_value: data.osHashValue });
      return;
    }
    case 'ImageUploadFailed.v1':
      return void statements.backToQueued.run({ id, at });
    case 'ImageDeleted.v1':
      for (const statement of statements.deleteImage) statement.run({ id });
      return;
    case 'ImageMemberAdded.v1':
      return void statements.addMember.run({ id, member: event.data.memberId, at });
    case 'ImageMemberStatusChanged.v1':
      return void statements.setMember.run({ id, member: event.data.memberId, status: event.data.status, at });
    case 'ImageMemberRemoved.v1':
      return void statements.removeMember.run({ id, member: event.data.memberId });
  }
}

export const imagesProjection = defineProjection({
  name: 'images',
  version: 1,
  tables: TABLES,
  filter: { eventTypes: Object.keys(imageEventSchemas) },
  createTables: (t) => `
    CREATE TABLE ${t.images} (
      id TEXT PRIMARY KEY, owner TEXT NOT NULL, status TEXT NOT NULL, name TEXT, visibility TEXT NOT NULL,
      protected INTEGER NOT NULL, os_hidden INTEGER NOT NULL, container_format TEXT, disk_format TEXT,
      min_ram INTEGER NOT NULL, min_disk INTEGER NOT NULL, size INTEGER, virtual_size INTEGER, checksum TEXT,
      os_hash_algo TEXT, os_hash_value TEXT, location TEXT, staged_location TEXT, staged_size INTEGER,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;
    CREATE TABLE ${t.image_properties} (image_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (image_id, key)) STRICT;
    CREATE TABLE ${t.image_tags} (image_id TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (image_id, tag)) STRICT;
    CREATE TABLE ${t.image_members} (image_id TEXT NOT NULL, member_id TEXT NOT NULL, status TEXT NOT NULL,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (image_id, member_id)) STRICT`,
  createIndexes: (t) => `
    CREATE INDEX ${t.images}_by_created ON ${t.images} (created_at, id);
    CREATE INDEX ${t.images}_by_owner ON ${t.images} (owner);
    CREATE INDEX ${t.images}_by_name ON ${t.images} (coalesce(name, ''), created_at, id);
    CREATE INDEX ${t.image_properties}_by_key ON ${t.image_properties} (key, value);
    CREATE INDEX ${t.image_tags}_by_tag ON ${t.image_tags} (tag);
    CREATE INDEX ${t.image_members}_by_member ON ${t.image_members} (member_id, status)`,
  prepare: prepareStatements,
  apply: (statements, event: RecordedEvent) => applyImageEvent(statements, event as unknown as ImageEvent, event.metadata.timestamp),
});
