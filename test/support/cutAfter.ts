/** The response as a client gets it when its connection drops after `bytes` bytes of the body. */
export function cutAfter(response: Response, bytes: number): Response {
  const reader = response.body!.getReader();
  let passed = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (passed >= bytes) {
        void reader.cancel();
        controller.error(new TypeError('network error: the connection was reset'));
        return;
      }
      const { done, value } = await reader.read();
      if (done) return controller.close();
      const room = bytes - passed;
      passed += Math.min(room, value.byteLength);
      controller.enqueue(value.byteLength <= room ? value : value.subarray(0, room));
    },
    cancel: () => reader.cancel(),
  });
  return new Response(body, { status: response.status, headers: response.headers });
}
