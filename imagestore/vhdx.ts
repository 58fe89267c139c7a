// VHDX (MS-VHDX): the virtual size lives in the metadata region, found through the region
// table at 192 KiB. A differencing disk names a parent file: unsafe to accept.
import type { ImageFile } from './image-file.js';

const REGION_TABLE_OFFSET = 192 * 1024;
const METADATA_REGION = guid('8B7CA206-4790-4B9A-B8FE-575F050F886E');
const VIRTUAL_DISK_SIZE = guid('2FA54224-CD1B-4876-B211-5DBED83BF4B8');
const PARENT_LOCATOR = guid('A8D35F2F-B30B-454D-ABF7-D3D84834AB0C');
const MAX_ENTRIES = 2047;

/** A GUID as stored on disk: the first three fields little-endian. */
function guid(text: string): string {
  const hex = text.replace(/-/g, '').toLowerCase();
  const swap = (part: string) => part.match(/../g)?.reverse().join('') ?? '';
  return swap(hex.slice(0, 8)) + swap(hex.slice(8, 12)) + swap(hex.slice(12, 16)) + hex.slice(16);
}

export interface VhdxFacts {
  virtualSize: number | null;
  hasParent: boolean;
}

async function metadataRegionOffset(file: ImageFile): Promise<number | null> {
  const table = await file.read(REGION_TABLE_OFFSET, 64 * 1024);
  if (table.length < 16 || table.toString('latin1', 0, 4) !== 'regi') return null;
  const entries = Math.min(table.readUInt32LE(8), MAX_ENTRIES);
  for (let index = 0; index < entries; index++) {
    const at = 16 + index * 32;
    if (at + 32 > table.length) break;
    if (table.toString('hex', at, at + 16) === METADATA_REGION) return Number(table.readBigUInt64LE(at + 16));
  }
  return null;
}

export async function inspectVhdx(file: ImageFile): Promise<VhdxFacts> {
  const regionOffset = await metadataRegionOffset(file);
  if (regionOffset === null) return { virtualSize: null, hasParent: false };
  const table = await file.read(regionOffset, 64 * 1024);
  if (table.length < 32 || table.toString('latin1', 0, 8) !== 'metadata') return { virtualSize: null, hasParent: false };
  const entries = Math.min(table.readUInt16LE(10), MAX_ENTRIES);
  const facts: VhdxFacts = { virtualSize: null, hasParent: false };
  for (let index = 0; index < entries; index++) {
    const at = 32 + index * 32;
    if (at + 32 > table.length) break;
    const item = table.toString('hex', at, at + 16);
    if (item === PARENT_LOCATOR) facts.hasParent = true;
    if (item === VIRTUAL_DISK_SIZE) {
      const value = await file.read(regionOffset + table.readUInt32LE(at + 16), 8);
      if (value.length === 8) facts.virtualSize = Number(value.readBigUInt64LE(0));
    }
  }
  return facts;
}
