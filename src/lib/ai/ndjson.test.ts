import { describe, expect, it } from 'vitest';
import { readLines, readNdjson } from './ndjson';

function streamOf(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks)
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    }
  });
}

async function collect<T>(lines: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('readLines', () => {
  it('joins lines split across chunks and keeps a last line without a newline', async () => {
    const lines = await collect(readLines(streamOf(['{"a":', '1}\n{"b"', ':2}\n\n', '{"c":3}'])));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('keeps a multi-byte character that a chunk boundary cuts in two', async () => {
    const bytes = new TextEncoder().encode('{"t":"café — ok"}\n');
    const at = bytes.indexOf(0xc3) + 1;
    const lines = await collect(readLines(streamOf([bytes.slice(0, at), bytes.slice(at)])));
    expect(lines).toEqual(['{"t":"café — ok"}']);
  });

  it('drops carriage returns and blank lines', async () => {
    expect(await collect(readLines(streamOf(['a\r\n', '\r\n', '  \n', 'b\r\n'])))).toEqual([
      'a',
      'b'
    ]);
  });
});

describe('readNdjson', () => {
  it('parses each line and stops at one that is not JSON', async () => {
    const values = readNdjson(streamOf(['{"type":"token","text":"Hi"}\nnot json\n']));
    expect(await values.next()).toEqual({ done: false, value: { type: 'token', text: 'Hi' } });
    await expect(values.next()).rejects.toThrow(SyntaxError);
  });
});
