import { Mail } from './mailer';

/** The texts of the identity mails; pure, so the mail reactor only gathers their inputs. */
export const identityMails = {
  verification: (to: string, token: string): Mail => ({
    to,
    subject: 'Verify your Streamplane email',
    body: `Welcome to Streamplane.\n\nVerify your email with POST /v1/auth/verify and this verification_token:\n\n${token}\n\nIt works for 48 hours.`,
  }),

  passwordReset: (to: string, userId: string, token: string): Mail => ({
    to,
    subject: 'Reset your Streamplane password',
    body: `Someone asked to reset the password of this account.\n\nPOST /v1/auth/reset-password/confirm with user_id ${userId}, this token and your new password:\n\n${token}\n\nIt works for one hour. If it was not you, ignore this mail.`,
  }),

  invitation: (to: string, workspaceName: string, role: string): Mail => ({
    to,
    subject: `You are invited to ${workspaceName} on Streamplane`,
    body: `You were invited to the workspace "${workspaceName}" as ${role}.\n\nSign up with this email address (POST /v1/auth/sign-up) and verify it: you will join at once.`,
  }),
};
