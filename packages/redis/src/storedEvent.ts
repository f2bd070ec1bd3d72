import type { OutgoingServerSentEvent } from '@sluice/stream-client/server';

/** An event's fields in a Redis stream entry: its type, its data, and a reconnection time if it has one. */
export function storedFields(event: OutgoingServerSentEvent): Record<string, string> {
  const fields: Record<string, string> = { t: event.type ?? '', d: event.data };
  if (event.retry !== undefined) fields['r'] = String(event.retry);
  return fields;
}

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
