import { isoTime } from '@streamplane/core';
import { Pool } from 'pg';
import { Mail, Mailer } from './mailer';

export interface OutboxMail extends Omit<Mail, 'key'> {
  id: string;
  created_at: string;
}

/** Keeps mails in PostgreSQL (`mail_outbox`); platform admins read them at GET /v1/admin/mail. */
export class OutboxMailer implements Mailer {
  constructor(private readonly pool: Pool) {}

  async send(mail: Mail): Promise<void> {
    await this.pool.query('INSERT INTO mail_outbox (to_address, subject, body, mail_key) VALUES ($1, $2, $3, $4) ON CONFLICT (mail_key) DO NOTHING', [
      mail.to,
      mail.subject,
      mail.body,
      mail.key ?? null,
    ]);
  }

  async list(to: string | undefined, limit: number): Promise<OutboxMail[]> {
    const { rows } = await this.pool.query<OutboxMail>(
      `SELECT id::text, to_address AS "to", subject, body, ${isoTime('created_at')} AS created_at FROM mail_outbox
        WHERE $1::text IS NULL OR lower(to_address) = lower($1) ORDER BY id DESC LIMIT $2`,
      [to ?? null, limit],
    );
    return rows;
  }
}
