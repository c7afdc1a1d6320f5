import { Injectable } from '@nestjs/common';
import { FleetSecrets, isSealed } from '@streamplane/fleet';

/** What a sealed value is bound to: it opens only as that value of this webhook. */
const secretContext = (workspaceId: string, webhookId: string) => `webhook secret ${workspaceId}/${webhookId}`;
const headerContext = (workspaceId: string, webhookId: string) => `webhook authorization ${workspaceId}/${webhookId}`;

/**
 * A webhook's signing secret and Authorization header, sealed under its workspace's data key
 * (the fleet's per-workspace keys) before they enter the log, and opened where they are used:
 * the secret by the deliverer only, the header by the deliverer and the webhook reads.
 */
@Injectable()
export class WebhookSecrets {
  constructor(private readonly secrets: FleetSecrets) {}

  sealSecret(workspaceId: string, webhookId: string, secret: string): Promise<string> {
    return this.secrets.seal(workspaceId, secretContext(workspaceId, webhookId), secret);
  }

  openSecret(workspaceId: string, webhookId: string, sealed: string): Promise<string> {
    return this.secrets.open(workspaceId, secretContext(workspaceId, webhookId), sealed);
  }

  async sealHeader(workspaceId: string, webhookId: string, header: string | null): Promise<string | null> {
    return header === null ? null : this.secrets.seal(workspaceId, headerContext(workspaceId, webhookId), header);
  }

  /** The header in clear; a value that is not sealed was written in clear by a version 1 event and is read as it is. */
  async openHeader(workspaceId: string, webhookId: string, stored: string | null | undefined): Promise<string | null> {
    if (stored === null || stored === undefined) return null;
    return isSealed(stored) ? this.secrets.open(workspaceId, headerContext(workspaceId, webhookId), stored) : stored;
  }
}
