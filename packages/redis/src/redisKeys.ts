/** The names of everything the store keeps in Redis, under one prefix. */
export interface RedisKeys {
  /** The stream of one reply's events. */
  reply(streamId: string): string;
  /** Set while a process other than the producer's follows the reply, so it is not stopped as abandoned. */
  followed(streamId: string): string;
  /** The stream id of a chat's running reply. */
  chat(chatId: string): string;
  /** A process's lease: present while that process is alive and producing. */
  producer(instanceId: string): string;
  /** The stream ids of replies a process was asked to stop and has not yet seen asked: Stop's record, beside pub/sub. */
  stops(instanceId: string): string;
  /** The pub/sub channel that carries Stop to the producing process. */
  readonly stopChannel: string;
}

/** The keys of a store whose keys all begin with `prefix`. */
export function redisKeys(prefix: string): RedisKeys {
  return {
    reply: (streamId) => `${prefix}reply:${streamId}`,
    followed: (streamId) => `${prefix}reply:${streamId}:followed`,
    chat: (chatId) => `${prefix}chat:${chatId}`,
    producer: (instanceId) => `${prefix}producer:${instanceId}`,
    stops: (instanceId) => `${prefix}producer:${instanceId}:stops`,
    stopChannel: `${prefix}stop`,
  };
}
