export type { RedisProcess } from './redis-process.js';
export { type RedisCluster, type StartRedisClusterOptions, startRedisCluster } from './start-redis-cluster.js';
export {
  type RedisSentinelGroup,
  type StartRedisSentinelOptions,
  startRedisSentinel,
} from './start-redis-sentinel.js';
export { type RedisServer, type StartRedisServerOptions, startRedisServer } from './start-redis-server.js';
