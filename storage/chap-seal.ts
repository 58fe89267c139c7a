// Handing a CHAP secret from the storage node to the compute host through Temporal
// without Temporal (or whoever reads workflow histories) learning it: the host makes a
// one-time X25519 key pair and sends only the public half; the node seals the secret to
// it (ECDH with a fresh key of its own, HKDF-SHA256, AES-256-GCM); only the host's
// private key, which never leaves its 0600 file, opens it.
import { createCipheriv, createDecipheriv, diffieHellman, generateKeyPairSync, hkdfSync, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface SealedSecret {
  /** The node's one-time public key (DER, base64). */
  senderPublicKey: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

export interface RecipientKeys {
  /** DER (SPKI), base64: travels to the storage node. */
  publicKey: string;
  /** PEM (PKCS#8): stays on the host. */
  privateKeyPem: string;
}

const INFO = Buffer.from('strata chap secret v1');

function contentKey(own: KeyObject, other: KeyObject, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', diffieHellman({ privateKey: own, publicKey: other }), salt, INFO, 32));
}

function publicKeyOf(base64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
}

export function newRecipientKeys(): RecipientKeys {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

/** The public half (DER, base64) of a recipient's private key. */
export function publicKeyOfPem(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ format: 'der', type: 'spki' }).toString('base64');
}

export function sealSecret(secret: string, recipientPublicKey: string): SealedSecret {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const senderPublicKey = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', contentKey(privateKey, publicKeyOf(recipientPublicKey), Buffer.from(senderPublicKey)), iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return { senderPublicKey, iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Throws when the seal was not made for this key or was altered. */
export function openSealedSecret(sealed: SealedSecret, privateKeyPem: string): string {
  const key = contentKey(createPrivateKey(privateKeyPem), publicKeyOf(sealed.senderPublicKey), Buffer.from(sealed.senderPublicKey));
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
}
