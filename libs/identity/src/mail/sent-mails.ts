import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { PG_POOL } from '@streamplane/core';
import { Mailer, MAILER } from './mailer';
import { OutboxMailer } from './outbox-mailer';

/**
 * Which mails went out, by key (the id of the event that asked for them), known from PostgreSQL
 * alone: a queue rebuild after Redis lost its data must not send a mail twice.
 */
@Injectable()
export class SentMails {
  constructor(
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /**
   * Notes a mail the mailer sent. The outbox is its own record (its unique mail_key); SMTP leaves
   * none, so its keys go to sent_mails. A crash between the send and this insert leaves the mail
   * unrecorded: a rebuild would send it again, under the same Message-ID.
   */
  async record(key: string): Promise<void> {
    if (this.mailer instanceof OutboxMailer) return;
    await this.pool.query('INSERT INTO sent_mails (mail_key) VALUES ($1) ON CONFLICT (mail_key) DO NOTHING', [key]);
  }

  /** The keys among these whose mail went out, by either driver (the driver may have changed since). */
  async among(keys: string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const { rows } = await this.pool.query<{ mail_key: string }>(
      `SELECT mail_key FROM mail_outbox WHERE mail_key = ANY($1::text[])
       UNION SELECT mail_key FROM sent_mails WHERE mail_key = ANY($1::text[])`,
      [keys],
    );
    return new Set(rows.map((row) => row.mail_key));
  }
}
