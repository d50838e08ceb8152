// Rooms shared by several collaboration server instances through Redis (`--redis`,
// docs/scaling.md). Each instance keeps its open rooms in memory as before; in addition:
//
// - every Yjs update an instance's clients make is appended to the room's log in Redis and
//   published on the room's channel, in one atomic script (so whatever a reader misses on the
//   channel is in the log, and the other way round);
// - every awareness update (presence, cursors) is published on the channel only: it is
//   ephemeral, and clients renew it every 15 s anyway;
// - an instance opening a room subscribes first, then reads the room's state from Redis (a
//   compacted Yjs update plus the log since), applies it, and pushes back whatever it holds
//   that Redis lacks (state from its own disk, or edits made while Redis was away). Yjs
//   updates are idempotent and commute, so overlap between channel and log is harmless;
// - when a room's log has grown as large as its compacted state (at least `compactBytes`),
//   or every `compactEntries` entries, it is merged into the compacted state: merging costs
//   about twice what was pushed since, so a room holding big pictures is not re-merged
//   every few strokes. The push that crosses the threshold says so, so one instance
//   compacts (merging on a worker thread); a generation counter makes a concurrent
//   compaction lose, never an entry;
// - after Redis comes back (restart, network), every open room is read and pushed again.
//
// Keys share a {hash tag} per room, so the scripts also run on Redis Cluster.

import { randomBytes } from 'node:crypto';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { RedisConnection, describeRedisAddress, parseRedisAddress } from './redis-client.mjs';
import { createMerger } from './redis-merge-worker.mjs';

const kind = { update: 0, awareness: 1, hello: 2 };
const idBytes = 8; // each message starts with the sender's instance id, then its kind

// KEYS: log, state. ARGV: channel, update, message header, ttl, compactBytes,
// compactEntries. Returns 1 when this very push crossed a compaction threshold.
const pushScript = `
local n = redis.call('RPUSH', KEYS[1], ARGV[2])
local size = string.len(ARGV[2])
local logBytes = redis.call('HINCRBY', KEYS[2], 'logBytes', size)
local limit = math.max(tonumber(ARGV[5]), tonumber(redis.call('HGET', KEYS[2], 'docBytes') or '0'))
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[1], ARGV[3] .. ARGV[2])
if (logBytes >= limit and logBytes - size < limit) or n % tonumber(ARGV[6]) == 0 then return 1 end
return 0`;

// KEYS: log, state. Returns {compacted state or false, generation or false, log entries}.
const loadScript = `
return {redis.call('HGET', KEYS[2], 'doc'), redis.call('HGET', KEYS[2], 'gen'), redis.call('LRANGE', KEYS[1], 0, -1)}`;

// KEYS: log, state. ARGV: generation read, merged state, entries merged, ttl, their bytes.
// 1 = done, 0 = another compaction came first.
const compactScript = `
local gen = redis.call('HGET', KEYS[2], 'gen') or ''
if gen ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], 'doc', ARGV[2], 'docBytes', string.len(ARGV[2]), 'gen', (tonumber(gen) or 0) + 1)
redis.call('HINCRBY', KEYS[2], 'logBytes', -tonumber(ARGV[5]))
redis.call('LTRIM', KEYS[1], ARGV[3], -1)
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1`;

const keysOf = (room) => ({
  channel: `huabu:room:{${room}}`,
  log: `huabu:room:{${room}}:log`,
  state: `huabu:room:{${room}}:state`,
});

/**
 * Connects to Redis (rejecting with a clear error when the address is malformed or Redis
 * cannot be reached) and returns {bind(room, doc), loaded(room), unbind(room), close()}
 * for the collaboration server.
 */
export async function connectRedisRooms(addressText, { log = console, compactBytes = 64 * 1024, compactEntries = 1000, ttlSeconds = 7 * 24 * 3600, loadTimeoutMs = 3000 } = {}) {
  const address = parseRedisAddress(addressText);
  const where = describeRedisAddress(address);
  const commands = new RedisConnection(address);
  const subscriber = new RedisConnection(address, { subscriber: true });
  await commands.connect();
  try {
    await subscriber.connect();
  } catch (err) {
    commands.close();
    throw err;
  }

  const instanceId = randomBytes(idBytes);
  const fromRedis = Symbol('redis'); // transaction origin of what other instances sent
  const rooms = new Map(); // room -> {doc, keys, loaded, compacting, retry}
  const background = new Set(); // compactions in flight, awaited by close()
  const merger = createMerger(); // compaction merges off the event loop
  let complained = false; // one log line per outage, not one per update
  const retryMs = 2000;

  const header = (type) => Buffer.concat([instanceId, Buffer.from([type])]);
  // While the connections are down, 'ready' will resync every room. When they are up and
  // Redis refused the command (out of memory, say), that room retries by itself.
  const failed = (what, room, err) => {
    if (!complained) log.error(`collab: Redis (${where}): ${what} for room ${room} failed: ${err.message}; will resync`);
    complained = true;
    const entry = rooms.get(room);
    if (entry && !entry.retry && commands.ready && subscriber.ready) {
      entry.retry = setTimeout(() => {
        entry.retry = null;
        if (rooms.get(room) === entry) startSync(room);
      }, retryMs).unref();
    }
  };

  function track(promise) {
    background.add(promise);
    promise.finally(() => background.delete(promise));
  }

  async function push(room, entry, update) {
    const { log: logKey, state, channel } = entry.keys;
    const due = await commands.command('EVAL', pushScript, 2, logKey, state, channel, update, header(kind.update), ttlSeconds, compactBytes, compactEntries);
    if (due === 1 && !entry.compacting) track(compact(room, entry));
  }

  async function load(keys) {
    const [state, gen, entries] = await commands.command('EVAL', loadScript, 2, keys.log, keys.state);
    return { updates: state ? [state, ...entries] : entries, gen: gen ? String(gen) : '', entries };
  }

  // Merges the log into the compacted state; another instance compacting first wins and
  // this one simply stops (its entries are kept in the log for the next compaction).
  async function compact(room, entry) {
    const { keys } = entry;
    entry.compacting = true;
    try {
      const { updates, gen, entries } = await load(keys);
      if (entries.length === 0) return;
      const bytes = entries.reduce((sum, e) => sum + e.length, 0);
      const merged = await merger.merge(updates);
      await commands.command('EVAL', compactScript, 2, keys.log, keys.state, gen, merged, entries.length, ttlSeconds, bytes);
    } catch (err) {
      failed('compaction', room, err);
    } finally {
      entry.compacting = false;
    }
  }

  function publish(entry, type, payload) {
    return commands.command('PUBLISH', entry.keys.channel, Buffer.concat([header(type), payload]));
  }

  // Awareness of the clients connected to this instance (not those relayed from others).
  function localAwareness(doc) {
    const ids = [...doc.conns.values()].flatMap((set) => [...set]);
    return ids.length ? awarenessProtocol.encodeAwarenessUpdate(doc.awareness, ids) : null;
  }

  // Catch up with Redis, then give Redis what only this instance has.
  async function sync(room) {
    const entry = rooms.get(room);
    const { doc, keys } = entry;
    await subscriber.subscribe(keys.channel); // before reading: nothing falls in between
    const { updates } = await load(keys);
    if (rooms.get(room) !== entry) return;
    const merged = updates.length > 0 ? Y.mergeUpdates(updates) : null;
    if (merged) Y.applyUpdate(doc, merged, fromRedis);
    const missing = Y.encodeStateAsUpdate(doc, merged ? Y.encodeStateVectorFromUpdate(merged) : undefined);
    if (missing.length > 2) await push(room, entry, missing); // [0, 0] is the empty update
    await publish(entry, kind.hello, Buffer.alloc(0));
    const awareness = localAwareness(doc);
    if (awareness) await publish(entry, kind.awareness, awareness);
    complained = false;
  }

  function startSync(room) {
    const entry = rooms.get(room);
    const attempt = sync(room).catch((err) => failed('catching up', room, err));
    // A client waits for the catch-up before its first sync, but not forever.
    entry.loaded = Promise.race([attempt, new Promise((resolve) => setTimeout(resolve, loadTimeoutMs).unref())]);
  }

  subscriber.on('message', (channel, payload) => {
    const room = /^huabu:room:\{(.*)\}$/.exec(channel)?.[1];
    const entry = room && rooms.get(room);
    if (!entry || payload.length <= idBytes || payload.subarray(0, idBytes).equals(instanceId)) return;
    const body = payload.subarray(idBytes + 1);
    try {
      switch (payload[idBytes]) {
        case kind.update:
          Y.applyUpdate(entry.doc, body, fromRedis);
          break;
        case kind.awareness:
          awarenessProtocol.applyAwarenessUpdate(entry.doc.awareness, body, fromRedis);
          break;
        case kind.hello: { // another instance opened the room: tell it who is here
          const awareness = localAwareness(entry.doc);
          if (awareness) publish(entry, kind.awareness, awareness).catch((err) => failed('presence', room, err));
          break;
        }
      }
    } catch (err) {
      log.error(`collab: a malformed message from Redis for room ${room} was ignored (${err.message})`);
    }
  });

  // Redis is back (restarted, or the network healed): catch every open room up again.
  const resyncAll = () => {
    if (!commands.ready || !subscriber.ready) return;
    if (complained) log.error(`collab: Redis (${where}) is back; resyncing ${rooms.size} open room(s)`);
    complained = false;
    for (const room of rooms.keys()) startSync(room);
  };
  commands.on('ready', resyncAll);
  subscriber.on('ready', resyncAll);
  const down = (err) => {
    if (!complained) log.error(`collab: Redis (${where}): ${err.message}; reconnecting`);
    complained = true;
  };
  commands.on('down', down);
  subscriber.on('down', down);

  return {
    where,
    /** Starts sharing `doc` (just created for `room`) through Redis. */
    bind(room, doc) {
      const entry = { doc, keys: keysOf(room), compacting: false, retry: null };
      rooms.set(room, entry);
      doc.on('update', (update, origin) => {
        if (origin !== fromRedis && rooms.get(room) === entry) push(room, entry, update).catch((err) => failed('publishing an update', room, err));
      });
      doc.awareness.on('update', ({ added, updated, removed }, origin) => {
        if (origin === fromRedis || rooms.get(room) !== entry) return;
        const changed = added.concat(updated, removed);
        publish(entry, kind.awareness, awarenessProtocol.encodeAwarenessUpdate(doc.awareness, changed)).catch((err) => failed('publishing presence', room, err));
      });
      startSync(room);
    },
    /** Resolves once `room` has caught up with Redis (or gave up waiting). */
    loaded(room) {
      return rooms.get(room)?.loaded ?? Promise.resolve();
    },
    /** The last client of `room` left this instance: stop listening. */
    unbind(room) {
      const entry = rooms.get(room);
      if (!entry) return;
      rooms.delete(room);
      clearTimeout(entry.retry);
      subscriber.unsubscribe(entry.keys.channel).catch(() => {});
    },
    async close() {
      for (const room of [...rooms.keys()]) this.unbind(room);
      await Promise.allSettled([...background]);
      merger.close();
      commands.close();
      subscriber.close();
    },
  };
}
