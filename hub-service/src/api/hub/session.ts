// Sealed cookies: AES-256-GCM with a key derived from the service's hub token, so they survive restarts
// and nobody but this service can read or forge them.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export class CookieSealer {
  private key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'hbroker', 'hbroker cookie seal v1', 32));
  }

  seal(value: object, ttlSeconds: number): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = JSON.stringify({ v: value, exp: Date.now() + ttlSeconds * 1000 });
    const sealed = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The sealed value, or undefined if it was tampered with, sealed by someone else, or expired. */
  unseal<T>(text: string | undefined): T | undefined {
    if (!text) {
      return undefined;
    }
    try {
      const raw = Buffer.from(text, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const body = JSON.parse(
        Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
      );
      return body.exp > Date.now() ? (body.v as T) : undefined;
    } catch {
      return undefined;
    }
  }
}
