/**
 * Newline-delimited JSON from a streamed response body: one value per line,
 * yielded as soon as its line is complete. Chunks may split a line, or a
 * multi-byte character, anywhere.
 */

/** Lines of the stream, without their `\n` (and `\r`); blank lines are skipped. */
export async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let cut = buffer.indexOf('\n');
      while (cut >= 0) {
        const line = buffer.slice(0, cut).replace(/\r$/, '');
        buffer = buffer.slice(cut + 1);
        if (line.trim()) yield line;
        cut = buffer.indexOf('\n');
      }
      if (done) break;
    }
    if (buffer.trim()) yield buffer.replace(/\r$/, '');
  } finally {
    // Stopping early (an error event, a thrown parse) releases the connection.
    await reader.cancel().catch(() => undefined);
  }
}

/** Each line parsed as JSON; a line that is not JSON throws a `SyntaxError`. */
export async function* readNdjson(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  for await (const line of readLines(body)) yield JSON.parse(line) as unknown;
}
