import { StringDecoder } from 'node:string_decoder';
import type { OutputChunk } from './types';

/**
 * Batches live output so a chatty program produces one callback per stream
 * about every `intervalMs` instead of one per write. Decoding is stateful per
 * stream, so a UTF-8 character split across two reads is never mangled.
 */
export class OutputCoalescer {
  private readonly pending = { stdout: '', stderr: '' };
  private readonly decoders = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8')
  };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (chunk: OutputChunk) => void,
    private readonly intervalMs = 30
  ) {}

  push(stream: OutputChunk['stream'], data: Buffer): void {
    this.pending[stream] += this.decoders[stream].write(data);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const stream of ['stdout', 'stderr'] as const) {
      const data = this.pending[stream];
      this.pending[stream] = '';
      if (data) this.emit({ stream, data });
    }
  }

  /** Emits what is left, including an incomplete trailing character as U+FFFD. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const)
      this.pending[stream] += this.decoders[stream].end();
    this.flush();
  }
}
