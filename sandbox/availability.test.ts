import { describe, expect, it } from 'vitest';
import { isAvailable } from './availability';
import { python } from './languages/python';

describe('isAvailable', () => {
  it('reports a language whose toolchain is missing as unavailable instead of throwing', async () => {
    await expect(
      isAvailable({ ...python, id: 'ghost', toolchain: ['/nonexistent/bin/ghostc'] })
    ).resolves.toBe(false);
  });
});
