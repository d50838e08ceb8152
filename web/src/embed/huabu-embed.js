// Huabu's SDK for web IM pages (one ES module, built to build/web/huabu-embed.js; types in
// huabu-embed.d.ts): connectHuabu() drives a Huabu iframe you make yourself; <huabu-chat>
// (defineHuabuElement()) makes the iframe for you. docs/embedding.md explains both.
export { connectHuabu } from './embed-connection.js';
export { HuabuChatElement, defineHuabuElement } from './huabu-element.js';
export { commandTypes, eventTypes } from './embed-protocol.js';
