import type { createClient } from 'redis';

/** One node-redis connection, as the store opens it. */
export type Connection = ReturnType<typeof createClient>;
