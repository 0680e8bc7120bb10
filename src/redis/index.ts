/**
 * `ky-auth/redis`: a token store in Redis shared by every process of a service, for ioredis and node-redis
 * (neither is imported: pass your client). See docs/redis.md.
 */
export {redisStore} from './redis-store.js';
export {redisKey, type RedisKeyParts} from './redis-key.js';
export {RedisStoreError, type RedisStoreErrorCode} from './redis-store-error.js';
export type {RedisStoreOptions, RedisTokenStore, RedisStoreStatus, RedisStoreEventMap, RedisStoreListener} from './types.js';
export type {RedisClient, IoredisClient, NodeRedisClient, NodeRedisClusterClient, NodeRedisLifecycle, NodeRedisMessageListener} from './client-types.js';
