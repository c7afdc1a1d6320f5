export interface Mail {
  to: string;
  subject: string;
  body: string;
  /**
   * What asked for the mail (the event's id). Sending the same key again is a no-op in the
   * outbox, and carries the same Message-ID over SMTP, so a job that runs twice mails once.
   */
  key?: string;
}

/** Where mail goes: the outbox table by default, SMTP in production. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export const MAILER = Symbol('MAILER');
