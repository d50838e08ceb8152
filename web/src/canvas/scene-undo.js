// Undo for the canvas: a Y.UndoManager over the scene (layers and meta, which holds the
// size) that tracks only changes made with this person's `origin`, so undo never takes
// back what a peer drew. Its stacks are unbounded (well over the 100 steps asked for).

import * as Y from 'yjs';

import { roomParts } from '../room/room-doc.js';

/**
 * One undo step per action: each action calls stopCapturing() before it starts (see
 * SceneCanvas.edit), and changes within one action (an image dragged over many frames)
 * merge into its step however long it takes, hence the huge capture timeout.
 */
export function createSceneUndo(doc, origin) {
  const { layers, meta } = roomParts(doc);
  return new Y.UndoManager([layers, meta], { trackedOrigins: new Set([origin]), captureTimeout: 2 ** 31 });
}
