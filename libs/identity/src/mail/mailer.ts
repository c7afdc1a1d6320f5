export interface Mail {
  to: string;
  subject: string;
  body: string;
}

/** Where mail goes: the outbox table by default, SMTP in production. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export const MAILER = Symbol('MAILER');
