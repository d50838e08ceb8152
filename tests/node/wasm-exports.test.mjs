// The raw module's exports must be exactly the members of HuabuCoreModule in
// wasm/huabu-core.d.ts: nothing missing, nothing undeclared (Squoosh's hand-written .d.ts
// drifted; this keeps ours honest). Checked on both builds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { loadCjsFactory, loadEsmModule, root } from './wasm-module.mjs';

const dts = fs.readFileSync(path.join(root, 'wasm/huabu-core.d.ts'), 'utf8');

function interfaceBody(name) {
  const start = dts.indexOf(`export interface ${name} {`);
  assert.ok(start >= 0, `interface ${name} not found in huabu-core.d.ts`);
  let depth = 0;
  for (let i = dts.indexOf('{', start); i < dts.length; i++) {
    if (dts[i] === '{') depth++;
    if (dts[i] === '}' && --depth === 0) return dts.slice(dts.indexOf('{', start) + 1, i);
  }
  throw new Error(`unterminated interface ${name}`);
}

// Method names declared at the top level of an interface body, e.g. "  resize(image: ...".
function declaredMethods(name) {
  const body = interfaceBody(name).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return new Set([...body.matchAll(/^\s{2}(\w+)\s*\(/gm)].map((m) => m[1]));
}

const declaredInterfaces = new Set([...dts.matchAll(/export interface (\w+)/g)].map((m) => m[1]));

// Emscripten 3.1.6's own Module properties (runtime, heap views, Embind's helpers). Anything
// else on the module must be declared in the .d.ts.
const RUNTIME = new Set([
  'ready', 'inspect', 'preloadedImages', 'preloadedAudios', 'asm', 'run', 'calledRun',
  'BindingError', 'InternalError', 'UnboundTypeError',
  'getInheritedInstanceCount', 'getLiveInheritedInstances', 'flushPendingDeletes', 'setDelayFunction',
  'count_emval_handles', 'get_first_emval',
  'wasmBinary', 'locateFile',
]);
const isRuntime = (key) =>
  RUNTIME.has(key) || key.startsWith('_') || key.startsWith('HEAP') || key.startsWith('dynCall_');

// Embind gives every symbol it exposes (functions and class constructors) an own argCount
// property (undefined for classes), or an overloadTable when several argument counts are
// registered; class constructors also carry methods on their prototype.
function embindExports(module) {
  const functions = new Set();
  const classes = new Set();
  for (const key of Object.keys(module)) {
    const value = module[key];
    if (typeof value !== 'function') continue;
    if (!Object.hasOwn(value, 'argCount') && !Object.hasOwn(value, 'overloadTable')) continue;
    const methods = Object.getOwnPropertyNames(value.prototype ?? {}).filter((m) => m !== 'constructor');
    (methods.length > 0 ? classes : functions).add(key);
  }
  return { functions, classes };
}

const sorted = (set) => [...set].sort();

async function checkModule(module) {
  const declared = declaredMethods('HuabuCoreModule');
  assert.ok(declared.size >= 15, `parsed only ${declared.size} members from the .d.ts`);
  const { functions, classes } = embindExports(module);
  assert.deepEqual(sorted(functions), sorted(declared), 'exported functions differ from HuabuCoreModule');

  // Embind classes (e.g. TileStitcher) must be declared interfaces with the same methods.
  for (const name of classes) {
    assert.ok(declaredInterfaces.has(name), `class ${name} is exported but not declared in the .d.ts`);
    const methods = new Set(Object.getOwnPropertyNames(module[name].prototype).filter((m) => m !== 'constructor'));
    const expected = new Set([...declaredMethods(name)].filter((m) => m !== 'delete'));
    assert.deepEqual(sorted(methods), sorted(expected), `methods of ${name}`);
  }

  const undeclared = Object.keys(module).filter((k) => !functions.has(k) && !classes.has(k) && !isRuntime(k));
  assert.deepEqual(undeclared, [], 'undeclared module properties');
}

test('CommonJS build exports exactly HuabuCoreModule', async () => {
  await checkModule(await loadCjsFactory()());
});

test('ES module build exports exactly HuabuCoreModule', async () => {
  await checkModule(await loadEsmModule());
});

test('the .d.ts parser sees the members it should', () => {
  const members = declaredMethods('HuabuCoreModule');
  for (const name of ['resize', 'decodeWebp', 'philoxNormal', 'createTileStitcher']) assert.ok(members.has(name), name);
  assert.deepEqual(sorted(declaredMethods('TileStitcher')), ['add', 'delete', 'finish']);
});

// The app's Content-Security-Policy has no 'unsafe-eval': the module must start and run
// without generating code from strings (Node's equivalent switch).
test('both builds run with code generation from strings disabled', async () => {
  const { execFileSync } = await import('node:child_process');
  const script = `
    const { loadCjsFactory, loadEsmModule } = await import(${JSON.stringify(new URL('./wasm-module.mjs', import.meta.url).href)});
    for (const m of [await loadCjsFactory()(), await loadEsmModule()]) {
      const r = m.resize({ width: 2, height: 2, data: new Uint8Array(16) }, 3, 3, 'lanczos3');
      if (!r.ok) throw new Error(r.message);
      const s = m.createTileStitcher(2, 2, 1, 0);
      if (!s.ok) throw new Error(s.message);
      s.value.delete();
    }
    console.log('ok');`;
  const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script]);
  assert.equal(out.toString().trim(), 'ok');
});
