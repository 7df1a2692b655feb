/** The build's one hash: SHA-256 of parts, each ended by a NUL so that ("ab", "c") and ("a", "bc") differ. Pure: any layer may use it. */
import { createHash } from 'node:crypto';

export function sha256(...parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(p);
    h.update('\u0000');
  }
  return h.digest('hex');
}
