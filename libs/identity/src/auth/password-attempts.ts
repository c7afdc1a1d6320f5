import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TooManyRequestsError, UnauthorizedError } from '@streamplane/core';
import { normalizeEmail } from '../domain/email';
import { CredentialStore } from '../stores/credential-store';
import { UserDirectory, UserView } from '../queries/user-directory';
import { GUESS_POLICY, GuessGate } from './guess-gate';

/** Kept for callers that name the limits; the policy itself is GUESS_POLICY. */
export const SIGN_IN_LIMIT = { perAccountAndAddress: GUESS_POLICY.freeFailures, perAddress: GUESS_POLICY.perAddress };

const SLOWED = 'too many failed sign-ins; wait before trying again';

/**
 * Every route that takes an email and a password checks it here, so each wrong guess counts
 * wherever it is made. Guesses are slowed per (account, client address) with growing delays,
 * capped per address, and slowed per account across addresses past a higher threshold (at most
 * one a minute). An attacker cannot lock the owner out: a right password from an address that did
 * not fail works while the pair is slowed, and one from an address that signed in to the account
 * before works while the account is slowed. Nor can guesses go faster by being sent in parallel.
 * Unknown emails cost the same work and get the same answer as wrong passwords.
 */
@Injectable()
export class PasswordAttempts {
  constructor(
    private readonly users: UserDirectory,
    private readonly credentials: CredentialStore,
    private readonly gate: GuessGate,
  ) {}

  /** The account when the password is right; 401 when it is not (or there is no such account); 429 while slowed. */
  async check(email: string, password: string, clientAddress: string | undefined): Promise<UserView> {
    const from = clientAddress ?? 'unknown';
    const account = normalizeEmail(email);
    const guess = { pair: `pair:${hash(`${account}\n${from}`)}`, address: `address:${from}`, account: `account:${hash(account)}`, addressId: hash(from) };
    const waitMs = await this.gate.reserve(guess);
    if (waitMs > 0) throw new TooManyRequestsError(SLOWED, Math.ceil(waitMs / 1000));
    const user = await this.users.byEmail(email);
    const matches = user ? await this.credentials.matches(user.id, password) : await this.credentials.verifyWithoutAccount(password);
    if (!user || !matches) throw new UnauthorizedError('wrong email or password');
    await this.gate.succeeded(guess);
    return user;
  }
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
