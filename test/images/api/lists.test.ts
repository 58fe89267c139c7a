// GET /v2/images: who sees which images, filters, sorting and pagination.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImage, openImageHarness, patchImage, uploadData, type ImageHarness, type Session } from '../support/image-harness.js';

let h: ImageHarness;
const ids: Record<string, string> = {};

async function names(session: Session, query = ''): Promise<string[]> {
  const response = await session.call('GET', `/v2/images${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ images: Array<{ name: string }> }>().images.map((image) => image.name);
}

beforeAll(async () => {
  h = await openImageHarness();
  const make = async (session: Session, name: string, body: Record<string, unknown> = {}, data?: Buffer) => {
    ids[name] = (await createImage(session, { name, ...body })).id;
    if (data) expect((await uploadData(session, ids[name], data)).statusCode).toBe(204);
  };
  await make(h.alice, 'a-shared', { tags: ['linux', 'small'], os_distro: 'cirros' }, Buffer.alloc(100));
  await make(h.alice, 'a-private', { visibility: 'private', os_distro: 'ubuntu' }, Buffer.alloc(5000));
  await make(h.alice, 'a-community', { visibility: 'community', tags: ['linux'] });
  await make(h.alice, 'a-hidden', { os_hidden: true });
  await make(h.bob, 'b-shared-pending');
  await make(h.bob, 'b-shared-accepted', { disk_format: 'qcow2' });
  await make(h.bob, 'b-shared-rejected');
  await make(h.admin, 'z-public', { visibility: 'public', protected: true });
  for (const [name, status] of [['b-shared-pending', null], ['b-shared-accepted', 'accepted'], ['b-shared-rejected', 'rejected']] as const) {
    expect((await h.bob.call('POST', `/v2/images/${ids[name]}/members`, { json: { member: h.alice.projectId } })).statusCode).toBe(200);
    if (status) expect((await h.alice.call('PUT', `/v2/images/${ids[name]}/members/${h.alice.projectId}`, { json: { status } })).statusCode).toBe(200);
  }
});
afterAll(async () => {
  await h.close();
});

describe('visibility', () => {
  it('by default: own (not hidden), public, and accepted shares; community only when owned', async () => {
    expect((await names(h.alice)).sort()).toEqual(['a-community', 'a-private', 'a-shared', 'b-shared-accepted', 'z-public']);
    expect((await names(h.bob)).sort()).toEqual(['b-shared-accepted', 'b-shared-pending', 'b-shared-rejected', 'z-public']);
  });

  it('visibility= and member_status= select', async () => {
    expect((await names(h.bob, '?visibility=community')).sort()).toEqual(['a-community']);
    expect((await names(h.bob, '?visibility=all')).sort()).toEqual(['a-community', 'b-shared-accepted', 'b-shared-pending', 'b-shared-rejected', 'z-public']);
    expect(await names(h.bob, '?visibility=private')).toEqual([]);
    expect((await names(h.alice, '?visibility=shared&member_status=pending')).sort()).toEqual(['a-shared', 'b-shared-pending']);
    expect((await names(h.alice, '?visibility=shared&member_status=all')).sort()).toEqual(['a-shared', 'b-shared-accepted', 'b-shared-pending', 'b-shared-rejected']);
  });

  it('os_hidden images only on request', async () => {
    expect(await names(h.alice, '?os_hidden=true')).toEqual(['a-hidden']);
  });

  it('an admin sees every project\'s images', async () => {
    expect(await names(h.admin, '?sort=name:asc')).toEqual(['a-community', 'a-private', 'a-shared', 'b-shared-accepted', 'b-shared-pending', 'b-shared-rejected', 'z-public']);
  });

  it('a member may show a pending share, a stranger may not', async () => {
    expect((await h.alice.call('GET', `/v2/images/${ids['b-shared-pending']}`)).statusCode).toBe(200);
    expect((await h.admin.call('GET', `/v2/images/${ids['a-private']}`)).statusCode).toBe(200);
    expect((await h.bob.call('GET', `/v2/images/${ids['a-private']}`)).statusCode).toBe(404);
  });
});

describe('filters', () => {
  it.each([
    ['?name=a-shared', ['a-shared']],
    ['?name=in:a-shared,"z-public"', ['a-shared', 'z-public']],
    [`?id=in:${'ID_A'},${'ID_Z'}`, ['a-shared', 'z-public']],
    ['?status=active', ['a-private', 'a-shared']],
    ['?disk_format=qcow2', ['b-shared-accepted']],
    ['?tag=linux', ['a-community', 'a-shared']],
    ['?tag=linux&tag=small', ['a-shared']],
    ['?os_distro=cirros', ['a-shared']],
    ['?os_distro=debian', []],
    ['?size_min=1000', ['a-private']],
    ['?size_max=1000', ['a-shared']],
    ['?protected=true', ['z-public']],
    ['?created_at=gte:2000-01-01T00:00:00Z&updated_at=lt:2999-01-01', ['a-community', 'a-private', 'a-shared', 'b-shared-accepted', 'z-public']],
    ['?created_at=lt:2000-01-01T00:00:00Z', []],
    ['?owner=OWNER_B', ['b-shared-accepted']],
  ])('%s', async (query, expected) => {
    const resolved = query.replace('ID_A', ids['a-shared'] ?? '').replace('ID_Z', ids['z-public'] ?? '').replace('OWNER_B', h.bob.projectId);
    expect((await names(h.alice, resolved)).sort()).toEqual(expected);
  });
});

describe('sorting and pagination', () => {
  it('sorts by several keys in both syntaxes', async () => {
    expect(await names(h.admin, '?sort=name:desc')).toEqual(['z-public', 'b-shared-rejected', 'b-shared-pending', 'b-shared-accepted', 'a-shared', 'a-private', 'a-community']);
    const queued = ['a-community', 'b-shared-accepted', 'b-shared-pending', 'b-shared-rejected', 'z-public'];
    expect(await names(h.admin, '?sort_key=status&sort_key=name&sort_dir=asc')).toEqual(['a-private', 'a-shared', ...queued]);
    expect(await names(h.admin, '?sort=size:desc,name:asc')).toEqual(['a-private', 'a-shared', ...queued]);
  });

  it('by default newest first', async () => {
    expect(await names(h.admin)).toEqual(['z-public', 'b-shared-rejected', 'b-shared-accepted', 'b-shared-pending', 'a-community', 'a-private', 'a-shared']);
  });

  it('follows next links through every page, each image once, in order', async () => {
    for (const sort of ['sort=name:asc', 'sort=size:asc,name:desc', 'sort_key=created_at&sort_dir=asc']) {
      const all = await names(h.admin, `?${sort}`);
      const seen: string[] = [];
      let next: string | undefined = `/v2/images?${sort}&limit=2`;
      for (let pages = 0; next && pages < 10; pages++) {
        const page: { images: Array<{ name: string }>; next?: string; first: string } = (await h.admin.call('GET', next)).json();
        expect(decodeURIComponent(page.first)).toBe(`/v2/images?${sort}&limit=2`);
        seen.push(...page.images.map((image) => image.name));
        next = page.next;
      }
      expect(seen).toEqual(all);
    }
  });

  it('limit is capped at 1000 and a full page links to the next', async () => {
    const page = (await h.admin.call('GET', '/v2/images?limit=3')).json<{ images: unknown[]; next: string }>();
    expect(page.images).toHaveLength(3);
    expect(page.next).toMatch(/^\/v2\/images\?limit=3&marker=[0-9a-f-]{36}$/);
    expect((await h.admin.call('GET', '/v2/images?limit=5000')).json<{ next?: string }>().next).toBeUndefined();
  });

  it('a renamed image keeps its place as a marker', async () => {
    expect((await patchImage(h.admin, ids['a-shared'] ?? '', [{ op: 'replace', path: '/name', value: 'a-shared' }])).statusCode).toBe(200);
    expect(await names(h.admin, `?sort=name:asc&marker=${ids['a-shared'] ?? ''}&limit=2`)).toEqual(['b-shared-accepted', 'b-shared-pending']);
  });
});
