/**
 * `@sluice/redis`: a shared store of replies for `@sluice/stream-client/server`, on Redis Streams.
 * With it, `createResumableStreams` and `createChatHandler` resume, follow and stop replies across
 * every server process.
 *
 * @packageDocumentation
 */
export { createRedisStore } from './createRedisStore.js';
export type { RedisClientLike, RedisStore, RedisStoreOptions } from './createRedisStore.js';
