/**
 * @module password-hasher
 * The password-hashing port and its argon2id implementation (@node-rs/argon2 runs off the event loop).
 */
import { hash, verify } from "@node-rs/argon2";

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: the OWASP baseline). */
export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password),
  verify: async (h, password) => {
    try {
      return await verify(h, password);
    } catch {
      // A malformed stored hash is a failed verification, not a server error.
      return false;
    }
  },
};

/**
 * A fixed hash verified when the e-mail is unknown, so the response time does not reveal which
 * accounts exist. Computed once, lazily.
 */
let dummy: Promise<string> | undefined;
export function dummyHash(hasher: PasswordHasher): Promise<string> {
  dummy ??= hasher.hash("upstander-no-such-user");
  return dummy;
}
