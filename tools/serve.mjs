#!/usr/bin/env node
// Static server for the Huabu web app: one origin for the app, ONNX Runtime, the core wasm
// module and the models (nothing comes from a CDN). Cross-origin isolated so that ONNX Runtime
// and the core can use threads (SharedArrayBuffer).
//
// The same server carries the collaboration rooms (WebSocket at /collab/<room>,
// tools/collab-server.mjs), saved under .cache/rooms/ unless --rooms DIR says otherwise.
//
// With --redis ADDRESS (redis://host:port or a unix socket path), rooms are shared with other
// instances started with the same address (tools/redis-rooms.mjs, docs/scaling.md).
//
// Share links too large for a URL keep their ciphertext in the upload store at /store/<sha256>
// (tools/share-store.mjs), saved under .cache/share-store/ unless --store DIR says otherwise.
//
// Host pages allowed to embed Huabu in an iframe and drive it (docs/embedding.md) are named
// with --embed-origin (repeatable); they get CSP frame-ancestors and /embed-config.json.
//
//   node tools/serve.mjs [--port N] [--rooms DIR] [--store DIR] [--redis ADDRESS] [--embed-origin ORIGIN ...]
//   (N = 0: a free port)

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildWeb } from './build-web.mjs';
import { attachCollabServer } from './collab-server.mjs';
import { connectRedisRooms } from './redis-rooms.mjs';
import { createShareStore } from './share-store.mjs';
import { checkAllowedOrigin } from '../web/src/embed/embed-protocol.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const mimeTypes = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

// URL prefix -> directory (relative to the repo root) and the file types served from it.
// Allow-lists keep build by-products (CMake files) and model recipes off the wire.
const routes = [
  { prefix: '/ort/', dir: 'node_modules/onnxruntime-web/dist', types: ['.mjs', '.wasm'] },
  { prefix: '/app/', dir: 'build/web', types: ['.js', '.map'] },
  { prefix: '/core/', dir: 'build/wasm/wasm', types: ['.mjs', '.wasm'] },
  { prefix: '/core-js/', dir: 'wasm', types: ['.js'] },
  { prefix: '/models/', dir: 'models', types: ['.json', '.onnx'] },
  { prefix: '/', dir: 'web', types: Object.keys(mimeTypes) },
];

// ONNX Runtime and Emscripten compile WebAssembly ('wasm-unsafe-eval'); ORT may start its
// pthread workers from blob: URLs (worker-src blob:). The app draws blob:/data: images.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

const securityHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
};

/**
 * Maps a URL path to a file inside its route's directory: {file}, or {status} when the path
 * is refused (403: it escapes the directory or is malformed) or not servable (404).
 */
export function resolveRequestPath(urlPath, root = repoRoot) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 403 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 403 };
  const route = routes.find((r) => decoded.startsWith(r.prefix));
  let rest = decoded.slice(route.prefix.length);
  if (rest === '' || rest.endsWith('/')) rest += 'index.html';
  const dir = path.join(root, route.dir);
  const file = path.resolve(dir, rest);
  // Refuse anything that normalises outside the route's directory ("..", encoded or not).
  const relative = path.relative(dir, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return { status: 403 };
  if (!route.types.includes(path.extname(file))) return { status: 404 };
  return { file };
}

function sendError(res, status, message) {
  const body = `${status} ${message}\n`;
  res.writeHead(status, {
    ...securityHeaders,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

// Per server: who may frame the app (clickjacking protection for everyone else).
function pageHeaders(embedOrigins) {
  const ancestors = ["'self'", ...embedOrigins].join(' ');
  return { ...securityHeaders, 'Content-Security-Policy': `${contentSecurityPolicy}; frame-ancestors ${ancestors}` };
}

function sendEmbedConfig(res, embedOrigins) {
  const body = JSON.stringify({ allowedOrigins: embedOrigins });
  res.writeHead(200, { ...securityHeaders, 'Content-Type': mimeTypes['.json'], 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache' });
  res.end(body);
}

async function handleStore(req, res, store, id) {
  const { status, body = '', headers = {} } = await store.handle(req, id);
  const bytes = typeof body === 'string' ? Buffer.from(`${body}\n`) : body;
  res.writeHead(status, {
    ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8', ...headers, 'Content-Length': bytes.length,
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

async function handle(req, res, root, embedOrigins, store) {
  const storeMatch = /^\/store\/([^/?#]*)(?:[?#].*)?$/.exec(req.url);
  if (storeMatch) return store ? handleStore(req, res, store, storeMatch[1]) : sendError(res, 404, 'No upload store on this server');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendError(res, 405, 'Method Not Allowed');
  }
  // The raw request path, not a URL-normalised one: ".." must be seen (and refused), not
  // silently resolved to some other file.
  const urlPath = req.url.split(/[?#]/, 1)[0];
  if (!urlPath.startsWith('/')) return sendError(res, 403, 'Forbidden');
  if (urlPath === '/embed-config.json') return sendEmbedConfig(res, embedOrigins);
  const { file, status } = resolveRequestPath(urlPath, root);
  if (status === 403) return sendError(res, 403, 'Forbidden');
  if (status === 404) return sendError(res, 404, 'Not Found');

  let info;
  try {
    info = await stat(file);
  } catch {
    return sendError(res, 404, 'Not Found');
  }
  if (!info.isFile()) return sendError(res, 404, 'Not Found');

  res.writeHead(200, {
    ...pageHeaders(embedOrigins),
    'Content-Type': mimeTypes[path.extname(file)],
    'Content-Length': info.size,
    // A development server: always revalidate so that rebuilt wasm and models are picked up.
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/**
 * Bundles the app, connects to Redis when `redis` names it, then starts the server; resolves
 * to {server, port, url, roomsDir, redis, close()}.
 */
export async function startServer({
  port = 8080, root = repoRoot, host = '127.0.0.1', roomsDir = path.join(root, '.cache/rooms'),
  storeDir = path.join(root, '.cache/share-store'), embedOrigins = [], redis = null,
} = {}) {
  embedOrigins.forEach(checkAllowedOrigin); // exact origins only, never '*'
  const shared = redis ? await connectRedisRooms(redis) : null;
  try {
    await buildWeb({ root });
  } catch (err) {
    await shared?.close();
    throw err;
  }
  const store = storeDir ? createShareStore({ dir: storeDir }) : null; // null: links must fit by themselves
  const server = createServer((req, res) => {
    handle(req, res, root, embedOrigins, store).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
  const collab = attachCollabServer(server, { dir: roomsDir, shared });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => {
      shared?.close();
      reject(err);
    });
    server.listen(port, host, () => {
      const actualPort = server.address().port;
      resolve({
        server,
        port: actualPort,
        url: `http://${host}:${actualPort}/`,
        roomsDir,
        redis: shared?.where ?? null,
        close: () => collab.close().then(() => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        })),
      });
    });
  });
}

function parseDir(argv, flag) {
  const i = argv.indexOf(flag);
  if (i === -1) return undefined;
  if (!argv[i + 1]) throw new Error(`${flag} needs a directory`);
  return path.resolve(argv[i + 1]);
}

function parseRedis(argv) {
  const i = argv.indexOf('--redis');
  if (i === -1) return null;
  if (!argv[i + 1] || argv[i + 1].startsWith('--')) throw new Error('--redis needs an address: redis://host:port or a unix socket path');
  return argv[i + 1];
}

function parseEmbedOrigins(argv) {
  return argv.flatMap((arg, i) => (arg === '--embed-origin' ? [argv[i + 1]] : []));
}

function parsePort(argv) {
  const i = argv.indexOf('--port');
  if (i === -1) return 8080;
  const port = Number(argv[i + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port needs an integer 0..65535, got ${argv[i + 1]}`);
  }
  return port;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  try {
    const { url, roomsDir, redis } = await startServer({ port: parsePort(argv), roomsDir: parseDir(argv, '--rooms'), storeDir: parseDir(argv, '--store'), embedOrigins: parseEmbedOrigins(argv), redis: parseRedis(argv) });
    const shownDir = path.relative(process.cwd(), roomsDir);
    console.log(`Huabu is running at ${url}`);
    console.log(`Collaboration rooms: ${url.replace(/^http/, 'ws')}collab/<room>, saved in ${shownDir.startsWith('..') ? roomsDir : shownDir || '.'}`);
    if (redis) console.log(`Rooms shared with other instances through Redis at ${redis}`);
  } catch (err) {
    console.error(`huabu serve: ${err.message}`);
    process.exit(2);
  }
}
