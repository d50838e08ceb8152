// tools/serve.mjs: routes, MIME types, security headers, refusal of path traversal.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';

import { startServer } from '../../tools/serve.mjs';

let server;
before(async () => { server = await startServer({ port: 0 }); });
after(() => server.close());

/** GET with the path sent byte for byte (fetch() would normalise "..", which is the point). */
function rawGet(path, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('listens on the port it was given (0 = a free one)', () => {
  assert.ok(server.port > 0);
  assert.equal(server.url, `http://127.0.0.1:${server.port}/`);
});

test('serves the app, ONNX Runtime and models with the right MIME types', async () => {
  const cases = [
    ['/', 'text/html; charset=utf-8'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/styles.css', 'text/css; charset=utf-8'],
    ['/src/main.js', 'text/javascript; charset=utf-8'],
    ['/ort/ort.webgpu.min.mjs', 'text/javascript; charset=utf-8'],
    ['/ort/ort-wasm-simd-threaded.wasm', 'application/wasm'],
  ];
  for (const [path, type] of cases) {
    const res = await rawGet(path, 'HEAD');
    assert.equal(res.status, 200, path);
    assert.equal(res.headers['content-type'], type, path);
    assert.ok(Number(res.headers['content-length']) > 0, path);
  }
});

test('serves a model manifest as JSON and model weights as octet-stream when present', async (t) => {
  const res = await rawGet('/models/esrgan-slim-x2/manifest.json');
  if (res.status === 404) return t.skip('models/esrgan-slim-x2 not built yet');
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  const manifest = JSON.parse(res.body);
  const onnx = manifest.files.find((f) => f.path.endsWith('.onnx'));
  const weights = await rawGet(`/models/esrgan-slim-x2/${onnx.path}`, 'HEAD');
  assert.equal(weights.status, 200);
  assert.equal(weights.headers['content-type'], 'application/octet-stream');
});

test('every response carries the isolation and security headers, errors included', async () => {
  for (const path of ['/', '/src/main.js', '/no-such-file.js', '/%2e%2e/package.json']) {
    const { headers } = await rawGet(path);
    assert.equal(headers['cross-origin-opener-policy'], 'same-origin', path);
    assert.equal(headers['cross-origin-embedder-policy'], 'require-corp', path);
    assert.equal(headers['cross-origin-resource-policy'], 'same-origin', path);
    assert.equal(headers['x-content-type-options'], 'nosniff', path);
    const csp = headers['content-security-policy'];
    assert.match(csp, /default-src 'self'/, path);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, path);
    assert.match(csp, /object-src 'none'/, path);
  }
});

test('refuses path traversal, plain or encoded', async () => {
  const attempts = [
    '/../package.json',
    '/src/../../package.json',
    '/%2e%2e/package.json',
    '/%2e%2e%2fpackage.json',
    '/models/..%2f..%2fpackage.json',
    '/ort/..%2f..%2f..%2fpackage.json',
    '/core-js/%2e%2e%2ftools%2fserve.mjs',
    '/src/..%5c..%5cpackage.json',
    '/%00index.html',
    '/%E0%A4%A',
  ];
  for (const path of attempts) {
    const res = await rawGet(path);
    assert.ok([403, 404].includes(res.status), `${path} -> ${res.status}`);
    assert.ok(!res.body.toString().includes('"name": "huabu"'), `${path} leaked package.json`);
  }
  assert.equal((await rawGet('/%2e%2e/package.json')).status, 403);
  assert.equal((await rawGet('/models/..%2f..%2fpackage.json')).status, 403);
});

test('404 for missing files, directories and file types outside a route', async () => {
  assert.equal((await rawGet('/no-such-file.js')).status, 404);
  assert.equal((await rawGet('/src/')).status, 404); // no directory listings
  assert.equal((await rawGet('/ort/README.md')).status, 404);
  assert.equal((await rawGet('/models/README.md')).status, 404);
});

test('only GET and HEAD', async () => {
  const res = await rawGet('/', 'POST');
  assert.equal(res.status, 405);
  assert.equal(res.headers.allow, 'GET, HEAD');
});
