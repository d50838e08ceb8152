// The optional upload store for share links too large to carry their creation in the URL
// (web/src/share/share-envelope.js, docs/collaboration.md): content-addressed ciphertext.
//   PUT /store/<id>   body: IV + AES-GCM ciphertext made in the sender's browser; id must be
//                     the body's SHA-256 (hex), so nobody can put other bytes under an id
//   GET /store/<id>   those bytes
// The decryption key never reaches the server: it stays in the link's #fragment. Files live in
// `dir` as <id>; a body over maxBytes or a store over maxTotalBytes is refused.

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

const idPattern = /^[0-9a-f]{64}$/;

export function createShareStore({ dir, maxBytes = 8 << 20, maxTotalBytes = 1 << 30 }) {
  let total = null; // bytes stored, counted once at the first upload

  async function storedBytes() {
    if (total === null) {
      total = 0;
      const names = await readdir(dir).catch(() => []);
      for (const name of names) if (idPattern.test(name)) total += (await stat(path.join(dir, name))).size;
    }
    return total;
  }

  async function readBody(req) {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > maxBytes) return null;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  /**
   * Handles /store/<id> requests: -> {status, body?, headers?} for the server to send.
   * `method` GET/HEAD/PUT; anything else is 405.
   */
  async function handle(req, id) {
    if (!idPattern.test(id)) return { status: 400, body: 'Bad store id: 64 lower-case hex digits (a SHA-256)' };
    const file = path.join(dir, id);
    if (req.method === 'GET' || req.method === 'HEAD') {
      try {
        return { status: 200, body: await readFile(file), headers: { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'public, max-age=31536000, immutable' } };
      } catch {
        return { status: 404, body: 'Not Found' };
      }
    }
    if (req.method !== 'PUT') return { status: 405, body: 'Method Not Allowed', headers: { Allow: 'GET, HEAD, PUT' } };
    const declared = Number(req.headers['content-length']);
    if (declared > maxBytes) return { status: 413, body: `Too large: at most ${maxBytes} bytes` };
    const body = await readBody(req);
    if (!body) return { status: 413, body: `Too large: at most ${maxBytes} bytes` };
    if (createHash('sha256').update(body).digest('hex') !== id) return { status: 400, body: 'The body does not match its id (SHA-256)' };
    const exists = await stat(file).then(() => true, () => false);
    if (exists) return { status: 200, body: 'Stored' }; // same id, same bytes
    if ((await storedBytes()) + body.length > maxTotalBytes) return { status: 507, body: 'The store is full' };
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, body);
    await rename(tmp, file);
    total += body.length;
    return { status: 201, body: 'Stored' };
  }

  return { handle };
}
