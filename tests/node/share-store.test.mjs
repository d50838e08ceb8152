// The upload store for share links too large for a URL (tools/share-store.mjs, served by
// tools/serve.mjs at /store/<sha256>): only bytes whose SHA-256 is their id are kept, sizes
// are capped, bad ids are refused; and a creation too large for a link round-trips through
// the real server (createShareLink with uploadToStore, openShareLink fetching it back).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { startServer } from '../../tools/serve.mjs';
import { uploadToStore } from '../../web/src/share/share-envelope.js';
import { createShareLink, openShareLink } from '../../web/src/share/share-link.js';

let server;
const storeDir = mkdtempSync(path.join(tmpdir(), 'huabu-store-test-'));
before(async () => { server = await startServer({ port: 0, roomsDir: mkdtempSync(path.join(tmpdir(), 'huabu-rooms-')), storeDir }); });
after(() => server?.close());

const sha = (b) => createHash('sha256').update(b).digest('hex');
const put = (id, body, headers = {}) => fetch(`${server.url}store/${id}`, { method: 'PUT', body, headers });

test('PUT keeps bytes under their SHA-256 and GET returns them; a wrong hash, a bad id and too much are refused', async () => {
  const body = randomBytes(5000);
  assert.equal((await put(sha(body), body)).status, 201);
  assert.equal((await put(sha(body), body)).status, 200, 'the same bytes again');
  const back = await fetch(`${server.url}store/${sha(body)}`);
  assert.equal(back.status, 200);
  assert.equal(back.headers.get('content-security-policy')?.includes("default-src 'self'"), true);
  assert.deepEqual(Buffer.from(await back.arrayBuffer()), body);

  assert.equal((await put(sha(randomBytes(10)), body)).status, 400, 'the body does not match the id');
  for (const bad of ['abc', 'A'.repeat(64), '..%2F..%2Fetc%2Fpasswd', `${sha(body)}x`]) {
    assert.equal((await put(bad, body)).status, 400, bad);
    assert.equal((await fetch(`${server.url}store/${bad}`)).status, 400, bad);
  }
  assert.equal((await fetch(`${server.url}store/${sha(randomBytes(3))}`)).status, 404);
  const big = Buffer.alloc((8 << 20) + 1);
  assert.equal((await put(sha(big), big)).status, 413);
  assert.equal((await fetch(`${server.url}store/${sha(body)}`, { method: 'DELETE' })).status, 405);
  assert.deepEqual(readdirSync(storeDir), [sha(body)], 'only the good upload is on disk');
});

test('a creation too large for a link is stored whole and opens from the store; without a store it degrades', async () => {
  const bytes = randomBytes(200_000); // incompressible "WebP" (the share document checks the signature)
  bytes.write('RIFF', 0);
  bytes.write('WEBPVP8 ', 8);
  const image = { bytes: new Uint8Array(bytes), mime: 'image/webp', width: 640, height: 480 };
  const recipe = { prompt: 'a red fox', seed: '42', model: 'huabu-tiny' };
  const origin = server.url.replace(/\/$/, '');
  const upload = (sealed, id) => uploadToStore(sealed, id, { origin });
  const link = await createShareLink({ image, recipe }, { baseUrl: server.url, upload });
  assert.equal(link.degraded, 'stored');
  assert.ok(link.length < 200, `a short link: ${link.url}`);
  const fragment = new URL(link.url).hash;
  const opened = await openShareLink(fragment, { origin });
  assert.deepEqual(opened.doc.recipe, recipe);
  assert.deepEqual(Buffer.from(opened.imageBytes), bytes);

  const refused = () => Promise.reject(new Error('no store'));
  const fallback = await createShareLink({ image, recipe }, { baseUrl: server.url, upload: refused });
  assert.equal(fallback.degraded, 'recipe-only', 'no re-encoder here: the recipe alone');
});
