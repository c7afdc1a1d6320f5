import { Injectable } from '@nestjs/common';
import { KeyStore } from '../stores/key-store';
import { OneTimePurpose, OneTimeTokenStore } from '../stores/one-time-token-store';

/**
 * The one-time tokens that mails carry. The token table keeps only the hash; the event that asks
 * for the mail carries the token sealed with the user's key, so the mail reactor can send it after
 * any crash, while the log never holds it in clear (and deleting the account shreds it).
 */
@Injectable()
export class MailedTokens {
  constructor(
    private readonly tokens: OneTimeTokenStore,
    private readonly keys: KeyStore,
  ) {}

  async issueSealed(userId: string, purpose: OneTimePurpose): Promise<string> {
    const token = await this.tokens.issue(userId, purpose);
    return this.keys.seal(userId, token);
  }
}
