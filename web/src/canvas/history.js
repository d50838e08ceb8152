// Undo history of whole-canvas snapshots. Snapshots (not stroke lists) keep undo exact for
// imports and upscales too; the byte budget bounds memory on large canvases.

const maxSnapshots = 30;
const maxBytes = 256 * 1024 * 1024;

export class History {
  #snapshots = [];

  /** Saves `imageData` as the state to return to on the next undo. */
  push(imageData) {
    this.#snapshots.push(imageData);
    while (this.#snapshots.length > maxSnapshots || (this.#snapshots.length > 1 && this.#bytes() > maxBytes)) {
      this.#snapshots.shift();
    }
  }

  /** The most recent snapshot, removed from the history, or undefined if there is none. */
  pop() {
    return this.#snapshots.pop();
  }

  get size() {
    return this.#snapshots.length;
  }

  #bytes() {
    return this.#snapshots.reduce((sum, s) => sum + s.data.byteLength, 0);
  }
}
