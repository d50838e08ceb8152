// Model manifest checks shared by the browser app, the Node tests and CI.
// Dependency-free: WebCrypto (browsers, workers, Node >= 20). Format: docs/model-format.md.

import { sha256Hex } from '../digest.js';

const HEX = /^[0-9a-f]{64}$/;

// Check downloaded bytes (ArrayBuffer or typed array) against one `files` entry of a
// manifest. Returns {ok: true} or {ok: false, code: 'corrupt_data', message}.
export async function verifyModelBytes(manifestFile, bytes) {
  const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const name = manifestFile?.name ?? manifestFile?.path ?? '(unnamed file)';
  if (!manifestFile || typeof manifestFile.sha256 !== 'string' || !HEX.test(manifestFile.sha256)) {
    return { ok: false, code: 'corrupt_data', message: `${name}: manifest has no valid sha256` };
  }
  if (view.byteLength !== manifestFile.bytes) {
    return { ok: false, code: 'corrupt_data', message: `${name}: size ${view.byteLength} bytes, manifest says ${manifestFile.bytes}` };
  }
  const actual = await sha256Hex(view);
  if (actual !== manifestFile.sha256) {
    return { ok: false, code: 'corrupt_data', message: `${name}: sha256 mismatch (got ${actual}, manifest says ${manifestFile.sha256})` };
  }
  return { ok: true };
}

// Structural check of a parsed manifest. Returns a list of problems (empty = valid).
export function validateManifest(m) {
  const problems = [];
  const need = (cond, msg) => { if (!cond) problems.push(msg); };
  const isStr = (v) => typeof v === 'string' && v.length > 0;
  need(m && typeof m === 'object', 'manifest is not an object');
  if (problems.length) return problems;
  need(isStr(m.id) && /^[a-z0-9][a-z0-9-]*$/.test(m.id), 'id: lower-case letters, digits, dashes');
  need(isStr(m.task), 'task: missing');
  need(isStr(m.version), 'version: missing');
  need(isStr(m.licence), 'licence: missing');
  if (m.task === 'super-resolution') need(Number.isInteger(m.scale) && m.scale >= 1, 'scale: integer >= 1 required for super-resolution');
  need(m.provenance && typeof m.provenance === 'object', 'provenance: missing');
  need(Array.isArray(m.files) && m.files.length > 0, 'files: non-empty array required');
  for (const [i, f] of (Array.isArray(m.files) ? m.files : []).entries()) {
    need(isStr(f.name), `files[${i}].name: missing`);
    need(isStr(f.path) && !f.path.startsWith('/') && !f.path.split('/').includes('..'), `files[${i}].path: relative path inside the model dir required`);
    need(typeof f.sha256 === 'string' && HEX.test(f.sha256), `files[${i}].sha256: 64 lower-case hex digits required`);
    need(Number.isInteger(f.bytes) && f.bytes > 0, `files[${i}].bytes: positive integer required`);
  }
  for (const key of ['inputs', 'outputs']) {
    need(Array.isArray(m[key]) && m[key].length > 0, `${key}: non-empty array required`);
    for (const [i, t] of (Array.isArray(m[key]) ? m[key] : []).entries()) {
      need(isStr(t.name), `${key}[${i}].name: missing`);
      need(isStr(t.dtype), `${key}[${i}].dtype: missing`);
      need(isStr(t.layout), `${key}[${i}].layout: missing`);
      need(Array.isArray(t.shape) && t.shape.every((d) => Number.isInteger(d) || isStr(d)), `${key}[${i}].shape: array of integers or symbol strings required`);
      need(t.range === undefined || (Array.isArray(t.range) && t.range.length === 2), `${key}[${i}].range: [min, max]`);
    }
  }
  if (m.tile !== undefined) {
    need(Number.isInteger(m.tile.size) && m.tile.size > 0, 'tile.size: positive integer');
    need(Number.isInteger(m.tile.overlap) && m.tile.overlap >= 0 && m.tile.overlap < m.tile.size, 'tile.overlap: integer, 0 <= overlap < size');
  }
  return problems;
}
