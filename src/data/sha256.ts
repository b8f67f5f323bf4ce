/**
 * SHA-256 as lowercase hex, through Web Crypto (`crypto.subtle.digest`): the same digest
 * `sha256sum` and Python's `hashlib.sha256` print, so a peer can check our files.
 *
 * @module
 */

/** Lowercase hex SHA-256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
