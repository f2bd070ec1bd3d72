/*
 * parseSSE over a real socket: a node:http server on loopback writes an event stream in pieces,
 * and fetch + parseSSE read it as a browser app or a Node backend would.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSSE } from '@sluice/stream-client';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push({ close: () => server.close() });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

function startStream(response: ServerResponse): void {
  response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
  response.flushHeaders();
}

describe('parseSSE over HTTP on loopback', () => {
  it('hands out each event while the server is still writing, not when the response ends', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const url = await serve((_request, response) => {
      startStream(response);
      response.write('data: first\n\n');
      void held.then(() => response.end('data: second\n\n'));
    });
    const iterator = parseSSE((await fetch(url)).body!);
    // The server is holding the rest of the stream: the first event must come through on its own.
    expect((await iterator.next()).value).toMatchObject({ data: 'first' });
    release();
    expect((await iterator.next()).value).toMatchObject({ data: 'second' });
    expect((await iterator.next()).done).toBe(true);
  });

  it('reads mixed line endings, ids and multi-byte text written a few bytes at a time', async () => {
    const body = Buffer.from(
      '\ufeff: keep-alive\r\nretry: 1500\r\nid: 1\r\nevent: delta\r\ndata: héllo 😀\r\n\r\nid: 2\rdata: line one\rdata: line two\r\rdata: tail\n\n',
    );
    const url = await serve((_request, response) => {
      startStream(response);
      let offset = 0;
      const timer = setInterval(() => {
        if (offset >= body.length) {
          clearInterval(timer);
          response.end();
          return;
        }
        // Five bytes at a time splits characters, CR LF pairs and the BOM across writes.
        response.write(body.subarray(offset, offset + 5));
        offset += 5;
      }, 1);
    });
    const retries: number[] = [];
    const comments: string[] = [];
    const events = [];
    for await (const event of parseSSE((await fetch(url)).body!, {
      onRetry: (milliseconds) => retries.push(milliseconds),
      onComment: (text) => comments.push(text),
    })) {
      events.push(event);
    }
    expect(events).toEqual([
      { type: 'delta', data: 'héllo 😀', lastEventId: '1' },
      { type: 'message', data: 'line one\nline two', lastEventId: '2' },
      { type: 'message', data: 'tail', lastEventId: '2' },
    ]);
    expect(retries).toEqual([1500]);
    expect(comments).toEqual(['keep-alive']);
  });

  it('closes the connection when the reader stops early, so the server can stop generating', async () => {
    let serverSawClose: () => void = () => {};
    const closed = new Promise<void>((resolve) => (serverSawClose = resolve));
    let written = 0;
    const url = await serve((_request, response) => {
      startStream(response);
      const timer = setInterval(() => response.write(`data: ${++written}\n\n`), 5);
      response.on('close', () => {
        clearInterval(timer);
        serverSawClose();
      });
    });
    for await (const event of parseSSE((await fetch(url)).body!)) {
      if (event.data === '3') break;
    }
    await closed;
    const writtenAtClose = written;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(written).toBe(writtenAtClose);
  });
});
