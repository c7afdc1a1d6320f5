/**
 * What a read model may ask of the identity context while it projects: the plaintext of a value
 * sealed with its owner's key (an account's email), or null once the key is shredded (the account
 * was deleted, so a replay can no longer read it either). The identity module provides it; `client`
 * is the projection's own transaction.
 */
export interface SealedDataReader<Client> {
  open(client: Client, ownerId: string, sealed: string): Promise<string | null>;
}

export const SEALED_DATA = Symbol('SEALED_DATA');
