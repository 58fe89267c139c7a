// Query parameters of GET /v2/images into a typed query, and Glance's 400s.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../domain/decider.js';
import { parseListQuery, splitInValues } from '../../../domain/image/list-query.js';

describe('parseListQuery', () => {
  it('has Glance defaults', () => {
    expect(parseListQuery({})).toEqual({
      limit: 25,
      marker: null,
      sort: [{ key: 'created_at', direction: 'desc' }],
      visibility: null,
      memberStatus: 'accepted',
      osHidden: false,
      protected: null,
      valueFilters: [],
      timeFilters: [],
      sizeMin: null,
      sizeMax: null,
      tags: [],
      properties: [],
    });
  });

  it('reads filters of every kind', () => {
    const query = parseListQuery({
      name: 'cirros',
      id: 'in:"a,b",c',
      status: 'in:active,queued',
      created_at: 'gte:2026-01-02T03:04:05+01:00',
      updated_at: 'lt:2026-01-02',
      size_min: '10',
      size_max: '20',
      tag: ['x', 'y'],
      os_distro: 'ubuntu',
      protected: 'True',
      os_hidden: 'true',
      visibility: 'all',
      member_status: 'pending',
      limit: '5000',
    });
    expect(query.valueFilters).toEqual([
      { column: 'name', values: ['cirros'] },
      { column: 'id', values: ['a,b', 'c'] },
      { column: 'status', values: ['active', 'queued'] },
    ]);
    expect(query.timeFilters).toEqual([
      { column: 'created_at', comparison: 'gte', at: '2026-01-02T02:04:05' },
      { column: 'updated_at', comparison: 'lt', at: '2026-01-02T00:00:00' },
    ]);
    expect(query).toMatchObject({ sizeMin: 10, sizeMax: 20, tags: ['x', 'y'], properties: [{ key: 'os_distro', value: 'ubuntu' }] });
    expect(query).toMatchObject({ protected: true, osHidden: true, visibility: 'all', memberStatus: 'pending', limit: 1000 });
  });

  it('reads a bare ISO time as equality and eq: as an explicit operator', () => {
    expect(parseListQuery({ created_at: '2026-01-02T03:04:05Z' }).timeFilters).toEqual([{ column: 'created_at', comparison: 'eq', at: '2026-01-02T03:04:05' }]);
    expect(parseListQuery({ name: 'eq:a:b' }).valueFilters).toEqual([{ column: 'name', values: ['a:b'] }]);
  });

  it('reads both sorting syntaxes', () => {
    expect(parseListQuery({ sort: 'name:asc,size' }).sort).toEqual([
      { key: 'name', direction: 'asc' },
      { key: 'size', direction: 'desc' },
    ]);
    expect(parseListQuery({ sort_key: ['name', 'size'], sort_dir: 'asc' }).sort).toEqual([
      { key: 'name', direction: 'asc' },
      { key: 'size', direction: 'asc' },
    ]);
    expect(parseListQuery({ sort_key: ['name', 'size'], sort_dir: ['asc', 'desc'] }).sort).toEqual([
      { key: 'name', direction: 'asc' },
      { key: 'size', direction: 'desc' },
    ]);
  });

  it.each([
    ['negative limit', { limit: '-1' }],
    ['non-numeric limit', { limit: 'ten' }],
    ['both sort syntaxes', { sort: 'name', sort_key: 'name' }],
    ['unknown sort key', { sort_key: 'owner' }],
    ['unknown sort direction', { sort: 'name:up' }],
    ['more dirs than keys', { sort_key: 'name', sort_dir: ['asc', 'desc'] }],
    ['unknown visibility', { visibility: 'everyone' }],
    ['unknown member status', { member_status: 'maybe' }],
    ['non-boolean protected', { protected: 'yes' }],
    ['non-integer size_min', { size_min: '1.5' }],
    ['unknown operator', { name: 'like:abc' }],
    ['unknown time operator', { created_at: 'in:2026-01-01' }],
    ['not a time', { updated_at: 'gt:yesterday' }],
    ['impossible date', { updated_at: 'gt:2026-13-45T00:00:00Z' }],
    ['unclosed quote', { id: 'in:"a,b' }],
    ['non-integer min_ram', { min_ram: 'lots' }],
  ])('refuses %s (400)', (_label, raw) => {
    expect(() => parseListQuery(raw)).toThrow(DomainError);
  });
});

describe('splitInValues', () => {
  it.each([
    ['a,b', ['a', 'b']],
    ['"a,b",c', ['a,b', 'c']],
    ['""', ['']],
    ['a', ['a']],
  ])('%s', (input, values) => {
    expect(splitInValues(input)).toEqual(values);
  });
});
