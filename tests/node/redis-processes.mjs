// Real processes for the Redis tests (tests/node/collab-redis.test.mjs,
// tests/browser/collab.test.mjs): a redis-server on a free port with a temporary directory
// and `tools/serve.mjs --redis` instances. `processes()` tracks what it starts; stopAll()
// stops each by its PID.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export function processes() {
  const children = new Set();

  /** Spawns a process, resolving once its output matches `ready`; output in child.output. */
  function start(command, args, ready, what) {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    child.output = '';
    child.once('exit', () => children.delete(child));
    return new Promise((resolve, reject) => {
      const onData = (chunk) => {
        child.output += chunk;
        if (ready.test(child.output)) resolve(child);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready:\n${child.output}`)));
    });
  }

  function stop(child) {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', resolve);
      process.kill(child.pid, 'SIGTERM');
    });
  }

  return {
    stop,
    stopAll: () => Promise.all([...children].map(stop)),

    /** Runs `node args` to completion: {code, output}. */
    run(args) {
      const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      let output = '';
      child.stdout.on('data', (c) => { output += c; });
      child.stderr.on('data', (c) => { output += c; });
      return new Promise((resolve) => child.once('exit', (code) => {
        children.delete(child);
        resolve({ code, output });
      }));
    },

    /** redis-server on `port`, files and unix socket in `dir`, no persistence (a restart comes back empty). */
    async startRedis(port, dir) {
      const socket = path.join(dir, 'redis.sock');
      const child = await start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--unixsocket', socket, '--dir', dir, '--save', '', '--appendonly', 'no'], /Ready to accept connections/, 'redis-server');
      return { port, dir, socket, url: `redis://127.0.0.1:${port}`, child };
    },

    /** `tools/serve.mjs --redis redisAddress` on a free port, rooms in a new directory under `tmp`. */
    async startInstance(redisAddress, tmp) {
      const rooms = fs.mkdtempSync(path.join(tmp, 'rooms-'));
      const ready = /running at (http:\/\/127\.0\.0\.1:\d+\/)/;
      const child = await start(process.execPath, ['tools/serve.mjs', '--port', '0', '--rooms', rooms, '--redis', redisAddress], ready, 'serve.mjs');
      const url = ready.exec(child.output)[1];
      return { child, rooms, url, serverUrl: `${url.replace(/^http/, 'ws')}collab` };
    },
  };
}
