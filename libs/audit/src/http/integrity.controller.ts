import { Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentWorkspace, PlatformAdmin, WorkspaceAccess, WorkspaceRoute } from '@streamplane/identity';
import { DigestLedger } from '../integrity/digest-ledger';
import { DigestSealer } from '../integrity/digest-sealer';
import { LogVerifier } from '../integrity/log-verifier';
import { AuditSigningKey } from '../integrity/signing-key';
import { DigestPageResponse, DigestsQuery, PublicKeyResponse, SealedDigestsResponse, VerificationResponse, VerifyQuery } from './integrity.dto';

/** Public on purpose: an auditor checks digests offline with it, and it opens nothing. */
@ApiTags('audit')
@Controller('v1/audit/public-key')
export class PublicKeyController {
  constructor(private readonly key: AuditSigningKey) {}

  @Get()
  @ApiOkResponse({ type: PublicKeyResponse, description: 'the Ed25519 key that signs the audit digests' })
  publicKey(): Promise<PublicKeyResponse> {
    return this.key.publicKey();
  }
}

@ApiTags('admin')
@PlatformAdmin()
@Controller('v1/admin/audit/digests')
export class AdminDigestsController {
  constructor(
    private readonly ledger: DigestLedger,
    private readonly sealer: DigestSealer,
  ) {}

  @Get()
  @ApiOkResponse({ type: DigestPageResponse, description: 'the chain of signed digests, oldest first' })
  @ApiBadRequestResponse({ description: 'a malformed after or a limit out of 1–1000' })
  async list(@Query() query: DigestsQuery): Promise<DigestPageResponse> {
    const limit = query.limit ?? 100;
    const items = await this.ledger.page(BigInt(query.after ?? '0'), limit);
    return { items, next_after: items.length === limit ? items[items.length - 1].seq : null };
  }

  /** On demand, besides every AUDIT_DIGEST_SECONDS: before an audit, or in a test. */
  @Post()
  @ApiCreatedResponse({ type: SealedDigestsResponse, description: 'seals every event written since the last digest' })
  async seal(): Promise<SealedDigestsResponse> {
    return { items: await this.sealer.sealPending() };
  }
}

@ApiTags('audit')
@WorkspaceRoute()
@Controller('v1/workspaces/:workspace_id/audit')
export class AuditVerifyController {
  constructor(private readonly verifier: LogVerifier) {}

  @Get('verify')
  @ApiOkResponse({ type: VerificationResponse, description: 'the workspace’s events and the digests covering them, recomputed from the store' })
  @ApiBadRequestResponse({ description: 'an unparsable since or until' })
  verify(@CurrentWorkspace() workspace: WorkspaceAccess, @Query() query: VerifyQuery): Promise<VerificationResponse> {
    return this.verifier.verify(workspace.id, { since: query.since ? new Date(query.since) : undefined, until: query.until ? new Date(query.until) : undefined });
  }
}
