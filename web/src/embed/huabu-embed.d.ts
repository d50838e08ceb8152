// Types for Huabu's embed SDK (huabu-embed.js). The messages are those of embed-protocol.js
// (docs/embedding.md); tests/node/embed-protocol.test.mjs checks that the command and event
// names here are exactly the protocol's.

/** What a generated, upscaled, sketched or restyled picture was made from. */
export type Recipe = Record<string, unknown>;

export interface HuabuCommands {
  /** Draws with huabu-tiny; images arrive as `image-created` events. Prompt <= 1000 chars. */
  generate: { payload: { prompt: string; seed?: number; style?: string }; value: Record<string, never> };
  /** Puts an image on the canvas (<= 32 MiB). */
  'insert-image': { payload: { bytes: Uint8Array; mime: 'image/png' | 'image/webp' | 'image/jpeg'; name?: string }; value: { width: number; height: number } };
  /** The picture as shown (all visible layers over white). */
  export: { payload: { mime: 'image/png' | 'image/webp' }; value: { mime: string; bytes: Uint8Array } };
  /** Reloads Huabu into another room (16-64 of A-Z a-z 0-9 _ -). */
  'join-room': { payload: { roomId: string }; value: Record<string, never> };
  /** The person's name, shown to the others in the room (<= 60 chars). */
  'set-user': { payload: { name: string }; value: Record<string, never> };
  /** Super-resolution of the canvas (or its selection); the result arrives as `image-created`. */
  upscale: { payload: { scale: 2 | 4 }; value: Record<string, never> };
  /** Sketch -> picture with huabu-sketch, optionally in a style ('twemoji', 'noto', ...). */
  sketch: { payload: { style?: string }; value: Record<string, never> };
  /** A copy of the canvas in a classic style ('oil', 'watercolor', 'lineart', ...) or redrawn as an emoji set by huabu-style ('fluent-3d', 'openmoji-outline', ...). */
  restyle: { payload: { style: string }; value: Record<string, never> };
  /** A sync message from another member, for rooms opened with #room=<id>&via=host. */
  relay: { payload: { message: Uint8Array }; value: Record<string, never> };
}

export interface HuabuEvents {
  ready: { version: number };
  /** Any image added to the room, by anyone. */
  'image-created': { assetId: string; mime: string; width: number; height: number; recipe?: Recipe };
  /** A share link made with the Share button. */
  shared: { url: string };
  /** A generation's progress: the card's message id, 0..1 (download to 0.1, steps to 0.9, then the upscale). */
  progress: { id: string; fraction: number };
  error: { message: string };
  /** A sync message to carry to every other member (rooms opened with #room=<id>&via=host). */
  relay: { message: Uint8Array };
}

export type HuabuCommandType = keyof HuabuCommands;
export type HuabuEventType = keyof HuabuEvents;

export interface HuabuConnection {
  /** Resolves once Huabu's `ready` event arrives. */
  readonly ready: Promise<HuabuEvents['ready']>;
  /** Resolves with Huabu's reply, or rejects with its error message (or after the timeout). */
  send<T extends HuabuCommandType>(type: T, payload: HuabuCommands[T]['payload']): Promise<{ value?: HuabuCommands[T]['value'] }>;
  /** Adds a listener; returns a function that removes it. */
  on<T extends HuabuEventType>(type: T, listener: (payload: HuabuEvents[T]) => void): () => void;
  /** Stops listening; pending commands reject with "closed". */
  close(): void;
}

/** Talks to Huabu in `iframe` at `origin` (an exact origin: scheme://host[:port]). */
export function connectHuabu(iframe: HTMLIFrameElement, options: { origin: string; win?: Window; timeout?: number }): HuabuConnection;

/** <huabu-chat origin="..." room="..." user-name="...">: makes the iframe and the connection. */
export class HuabuChatElement extends HTMLElement {
  readonly ready: Promise<HuabuEvents['ready']>;
  send<T extends HuabuCommandType>(type: T, payload: HuabuCommands[T]['payload']): Promise<{ value?: HuabuCommands[T]['value'] }>;
}

/** Registers <huabu-chat> (or `name`); Huabu's events are dispatched on it as `huabu-<event>` CustomEvents. */
export function defineHuabuElement(name?: string): typeof HuabuChatElement;

export const commandTypes: HuabuCommandType[];
export const eventTypes: HuabuEventType[];

declare global {
  interface HTMLElementEventMap {
    'huabu-ready': CustomEvent<HuabuEvents['ready']>;
    'huabu-image-created': CustomEvent<HuabuEvents['image-created']>;
    'huabu-shared': CustomEvent<HuabuEvents['shared']>;
    'huabu-progress': CustomEvent<HuabuEvents['progress']>;
    'huabu-error': CustomEvent<HuabuEvents['error']>;
    'huabu-relay': CustomEvent<HuabuEvents['relay']>;
  }
}
