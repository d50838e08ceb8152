// Room names, shared by the client and the server. A room's name is its id from the room
// document (newId: 32 hex characters); whoever knows it can join, so it must be long enough
// not to be guessed, and plain enough to be a file name on the server (no path traversal).

const roomNamePattern = /^[A-Za-z0-9_-]{16,64}$/;

export function isValidRoomName(name) {
  return typeof name === 'string' && roomNamePattern.test(name);
}

export function checkRoomName(name) {
  if (!isValidRoomName(name)) {
    throw new RangeError('A room name is 16 to 64 letters, digits, "-" or "_".');
  }
  return name;
}
