import { createTransport, Transporter } from 'nodemailer';
import { Mail, Mailer } from './mailer';

/** Production mail through any SMTP server (nodemailer). */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = createTransport(smtpUrl);
  }

  async send(mail: Mail): Promise<void> {
    // A resend after a crash mid-send keeps its Message-ID, so receivers can tell it is the same mail.
    const messageId = mail.key ? `<${mail.key}@streamplane>` : undefined;
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.body, messageId });
  }
}
