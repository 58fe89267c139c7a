import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImage, openImageHarness, uploadData, type ImageHarness } from '../support/image-harness.js';

let h: ImageHarness;
beforeAll(async () => {
  h = await openImageHarness();
});
afterAll(async () => {
  await h.close();
});

describe('smoke', () => {
  it('creates, uploads, downloads', async () => {
    const image = await createImage(h.alice, { name: 'x' });
    console.log(image);
    const up = await uploadData(h.alice, image.id, Buffer.from('hello world'));
    console.log(up.statusCode, up.body);
    const down = await h.alice.call('GET', `/v2/images/${image.id}/file`);
    console.log(down.statusCode, down.headers, down.body);
    const list = await h.alice.call('GET', `/v2/images`);
    console.log(list.statusCode, list.body);
    expect(down.body).toBe('hello world');
  });
});
