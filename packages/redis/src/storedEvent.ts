import type { OutgoingServerSentEvent } from '@sluice/stream-client/server';

/** The event a Redis stream entry holds, with the id `<streamId>:<sequence>` a client resumes from. */
export function storedEvent(
  fields: Readonly<Record<string, string | undefined>>,
  streamId: string,
  sequence: number,
): OutgoingServerSentEvent {
  const event: OutgoingServerSentEvent = { data: fields['d'] ?? '', id: `${streamId}:${sequence}` };
  const type = fields['t'];
  if (type !== undefined && type !== '') event.type = type;
  const retry = fields['r'];
  if (retry !== undefined) event.retry = Number(retry);
  return event;
}
