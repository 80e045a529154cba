// The dev exchange's OIDC signing key: RS256 id_tokens with a `kid` from the JWKS, as JHE issues them.
import { createHash, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, SignJWT, type JWK } from 'jose';

/** DOT's default id_token lifetime, as JHE serves it (exp - iat). */
export const idTokenSeconds = 36000;

export interface IIdTokenClaims {
  issuer: string;
  clientId: string;
  subject: string;
  accessToken: string;
  authTime: number;
  email?: string;
}

export class IdTokenSigner {
  private constructor(
    private privateKey: KeyObject,
    readonly jwk: JWK & { kid: string }
  ) {}

  static async create(): Promise<IdTokenSigner> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk, 'sha256');
    return new IdTokenSigner(privateKey, { alg: 'RS256', use: 'sig', kid, ...jwk });
  }

  /** GET /o/.well-known/jwks.json */
  jwks(): { keys: JWK[] } {
    return { keys: [this.jwk] };
  }

  async sign(claims: IIdTokenClaims): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    // at_hash: the left half of SHA-256 of the access token (OIDC core 3.1.3.6).
    const digest = createHash('sha256').update(claims.accessToken).digest();
    return new SignJWT({
      aud: claims.clientId,
      iat: now,
      at_hash: digest.subarray(0, 16).toString('base64url'),
      sub: claims.subject,
      ...(claims.email ? { email: claims.email } : {}),
      iss: claims.issuer,
      exp: now + idTokenSeconds,
      auth_time: claims.authTime,
      jti: randomUUID()
    })
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: this.jwk.kid })
      .sign(this.privateKey);
  }
}
