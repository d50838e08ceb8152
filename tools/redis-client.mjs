// A small Redis client (RESP2 over TCP or a unix socket) for the collaboration server's
// --redis mode: commands with binary-safe arguments, pipelined; SUBSCRIBE on a connection of
// its own. After the first connection succeeds it reconnects by itself (back-off 0.1 s to
// 2 s), re-subscribes, and says so with 'ready'; while it is down, commands fail at once
// (callers resync on 'ready' rather than queue). No npm client is installed, and none is
// needed for the handful of commands used (EVAL, SUBSCRIBE, PING, AUTH, SELECT).

import { EventEmitter } from 'node:events';
import net from 'node:net';

export class RedisError extends Error {
  name = 'RedisError';
}

/**
 * Reads a Redis address: redis://[user:password@]host[:port][/db], unix:///path/to.sock or a
 * socket path (/path/to.sock, ./x.sock). Returns {host, port} or {path}, plus password,
 * username and db when given.
 */
export function parseRedisAddress(text) {
  const expected = 'expected redis://host:port[/db] or the path of a unix socket';
  if (typeof text !== 'string' || text.trim() === '') throw new RedisError(`no Redis address given (${expected})`);
  if (text.startsWith('/') || text.startsWith('./') || text.startsWith('../')) return { path: text };
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new RedisError(`"${text}" is not a Redis address (${expected})`);
  }
  if (url.protocol === 'unix:') {
    if (!url.pathname || url.pathname === '/') throw new RedisError(`"${text}" names no socket path (${expected})`);
    return { path: decodeURIComponent(url.pathname) };
  }
  if (url.protocol === 'rediss:') throw new RedisError(`"${text}": TLS (rediss://) is not supported; use redis:// on a private network or a unix socket`);
  if (url.protocol !== 'redis:') throw new RedisError(`"${text}" is not a Redis address (${expected})`);
  if (!url.hostname) throw new RedisError(`"${text}" names no host (${expected})`);
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new RedisError(`"${text}": the database must be a number, got "${db}"`);
  if (url.search || url.hash) throw new RedisError(`"${text}": options after ? or # are not supported`);
  if (url.username && !url.password) throw new RedisError(`"${text}": a user name needs a password (redis://user:password@host)`);
  const address = { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : 6379 };
  if (url.password) address.password = decodeURIComponent(url.password);
  if (url.username) address.username = decodeURIComponent(url.username);
  if (db !== '') address.db = Number(db);
  return address;
}

/** Shows an address without its password. */
export function describeRedisAddress(address) {
  return address.path ? `unix socket ${address.path}` : `redis://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}${address.db ? `/${address.db}` : ''}`;
}

function encodeCommand(args) {
  const parts = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.isBuffer(arg) ? arg : arg instanceof Uint8Array ? Buffer.from(arg.buffer, arg.byteOffset, arg.length) : Buffer.from(String(arg));
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

const incomplete = Symbol('incomplete');

// One reply starting at `at`: {value, end}, or {value: incomplete, need} with the least total
// byte count that could complete it (so large replies are not re-parsed on every chunk).
function parseReply(buf, at) {
  const lineEnd = buf.indexOf('\r\n', at);
  if (lineEnd === -1) return { value: incomplete, need: buf.length + 1 };
  const type = buf[at];
  const line = buf.toString('latin1', at + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case 0x2b: return { value: line, end: next }; // + simple string
    case 0x2d: return { value: new RedisError(line), end: next }; // - error
    case 0x3a: return { value: Number(line), end: next }; // : integer
    case 0x24: { // $ bulk string
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buf.length < next + length + 2) return { value: incomplete, need: next + length + 2 };
      return { value: buf.subarray(next, next + length), end: next + length + 2 };
    }
    case 0x2a: { // * array
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, end);
        if (item.value === incomplete) return item;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default: throw new RedisError(`unexpected reply from Redis (type byte ${type}); is this a Redis server?`);
  }
}

/**
 * One connection. Emits 'ready' (connected, after every reconnect), 'down' (err) when a
 * connection is lost, and for a subscriber 'message' (channel, payload Buffer).
 */
export class RedisConnection extends EventEmitter {
  #address;
  #socket = null;
  #pending = []; // {resolve, reject} per command, in order
  #chunks = [];
  #buffered = 0;
  #need = 0;
  #closed = false;
  #ready = false;
  #retryMs = 100;
  #retryTimer = null;
  #channels = new Set();

  constructor(address, { subscriber = false, connectTimeoutMs = 3000 } = {}) {
    super();
    this.#address = address;
    this.subscriber = subscriber;
    this.connectTimeoutMs = connectTimeoutMs;
  }

  get ready() {
    return this.#ready;
  }

  /** Connects the first time; rejects with a clear error when Redis cannot be reached. */
  async connect() {
    try {
      await this.#open();
    } catch (err) {
      this.close();
      throw new RedisError(`cannot reach Redis at ${describeRedisAddress(this.#address)}: ${err.message}`);
    }
  }

  #open() {
    return new Promise((resolve, reject) => {
      const address = this.#address;
      const socket = address.path ? net.createConnection({ path: address.path }) : net.createConnection({ host: address.host, port: address.port });
      this.#socket = socket;
      this.#chunks = [];
      this.#buffered = 0;
      this.#need = 0;
      let settled = false;
      const fail = (err) => {
        if (settled) return;
        settled = true;
        if (this.#socket === socket) this.#socket = null;
        socket.destroy();
        reject(err);
      };
      const timer = setTimeout(() => fail(new Error(`no answer within ${this.connectTimeoutMs} ms`)), this.connectTimeoutMs);
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 10_000);
      socket.on('data', (chunk) => this.#onData(chunk));
      socket.on('error', (err) => {
        if (!settled) fail(err);
      });
      socket.on('close', () => {
        clearTimeout(timer);
        if (!settled) return fail(new Error('connection closed'));
        if (this.#socket === socket) this.#lost(new RedisError('connection to Redis lost'));
      });
      socket.on('connect', async () => {
        try {
          const a = this.#address;
          if (a.password !== undefined) await this.#send(a.username ? ['AUTH', a.username, a.password] : ['AUTH', a.password]);
          if (a.db) await this.#send(['SELECT', a.db]);
          const pong = await this.#send(['PING']);
          if (pong !== 'PONG' && !(Array.isArray(pong) && String(pong[0]) === 'pong')) throw new Error('PING was not answered with PONG');
          for (const channel of this.#channels) await this.#send(['SUBSCRIBE', channel]);
        } catch (err) {
          clearTimeout(timer);
          return fail(err);
        }
        clearTimeout(timer);
        settled = true;
        this.#ready = true;
        this.#retryMs = 100;
        resolve();
        this.emit('ready');
      });
    });
  }

  #lost(err) {
    const wasReady = this.#ready;
    this.#ready = false;
    this.#socket = null;
    for (const { reject } of this.#pending.splice(0)) reject(err);
    if (this.#closed) return;
    if (wasReady) this.emit('down', err);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#open().catch(() => this.#lost(err));
    }, this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, 2000);
  }

  #onData(chunk) {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered < this.#need) return;
    let buf = this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks);
    let at = 0;
    try {
      while (at < buf.length) {
        const reply = parseReply(buf, at);
        if (reply.value === incomplete) {
          this.#need = reply.need - at;
          break;
        }
        at = reply.end;
        this.#deliver(reply.value);
      }
    } catch (err) {
      this.#socket?.destroy();
      this.#lost(err);
      return;
    }
    buf = buf.subarray(at);
    this.#chunks = buf.length ? [buf] : [];
    this.#buffered = buf.length;
    if (!buf.length) this.#need = 0;
  }

  #deliver(value) {
    if (this.subscriber && Array.isArray(value) && String(value[0]) === 'message') {
      this.emit('message', String(value[1]), value[2]);
      return;
    }
    const waiter = this.#pending.shift();
    if (!waiter) return;
    if (value instanceof RedisError) waiter.reject(value);
    else waiter.resolve(value);
  }

  #send(args) {
    return new Promise((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      this.#socket.write(encodeCommand(args));
    });
  }

  /** Sends one command; resolves to its reply (Buffer for bulk strings), rejects with RedisError. */
  command(...args) {
    if (!this.#ready) return Promise.reject(new RedisError(`Redis at ${describeRedisAddress(this.#address)} is not connected`));
    return this.#send(args);
  }

  /** Subscribes (and re-subscribes after every reconnect); resolves once Redis confirms. */
  async subscribe(channel) {
    this.#channels.add(channel);
    await this.command('SUBSCRIBE', channel);
  }

  async unsubscribe(channel) {
    this.#channels.delete(channel);
    if (this.#ready) await this.command('UNSUBSCRIBE', channel);
  }

  close() {
    this.#closed = true;
    this.#ready = false;
    clearTimeout(this.#retryTimer);
    const socket = this.#socket;
    this.#socket = null;
    socket?.destroy();
    for (const { reject } of this.#pending.splice(0)) reject(new RedisError('Redis connection closed'));
  }
}
