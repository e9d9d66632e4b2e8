// A ByteSpace (json-bytes.ts) that starts small and doubles, so writers meet its growth.
import type { ByteSpace } from '../../src/runtime/json-bytes.js';

export function growingSpace(bytes: number): ByteSpace {
  const space: ByteSpace = {
    buf: Buffer.alloc(bytes),
    len: 0,
    reserve(more: number) {
      if (space.len + more <= space.buf.length) return;
      const bigger = Buffer.alloc(Math.max(space.buf.length * 2, space.len + more));
      space.buf.copy(bigger, 0, 0, space.len);
      space.buf = bigger;
    },
  };
  return space;
}
