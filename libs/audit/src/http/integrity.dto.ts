import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { MismatchReason } from '../integrity/range-comparison';
import { EventsQuery } from './events.dto';

const REASONS: MismatchReason[] = ['altered', 'removed', 'inserted', 'digest_signature', 'digest_chain', 'digest_hash'];

/** The window of a verification, over the time the events were recorded (the digests covering it are checked whole). */
export class VerifyQuery extends PickType(EventsQuery, ['since', 'until'] as const) {}

/** Pages as the events API does (`limit` 1–1000), by the chain's `seq` rather than a log position. */
export class DigestsQuery extends PickType(EventsQuery, ['limit'] as const) {
  @ApiPropertyOptional({ type: String, description: 'a digest `seq` (exclusive): the `next_after` of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be a digest seq: a decimal string of up to 18 digits' })
  after?: string;
}

export class PublicKeyResponse {
  @ApiProperty({ enum: ['Ed25519'] }) algorithm!: 'Ed25519';
  @ApiProperty({ description: 'first 16 hex digits of the SHA-256 of the key in DER (SPKI); each digest names the key that signed it' }) key_id!: string;
  @ApiProperty({ description: 'the public key, SPKI in PEM' }) public_key!: string;
}

export class DigestResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'place in the chain, from 1 (decimal string)' }) seq!: string;
  @ApiProperty({ description: 'position of the first event sealed (decimal string)' }) from_position!: string;
  @ApiProperty({ description: 'position of the last event sealed; the next digest starts after it' }) to_position!: string;
  @ApiProperty() events!: number;
  @ApiProperty({ description: 'hex SHA-256 of previous_hash (32 bytes) then each event’s SHA-256, in log order' }) hash!: string;
  @ApiProperty({ description: 'the previous digest’s hash; 64 zeros for the first' }) previous_hash!: string;
  @ApiProperty() key_id!: string;
  @ApiProperty({ description: 'base64 Ed25519 signature of the lines "streamplane-audit-digest:v1", from_position, to_position, events, hash, previous_hash, at (joined by \\n)' }) signature!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class DigestPageResponse {
  @ApiProperty({ type: [DigestResponse] }) items!: DigestResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as `after` for the next page; null on the last one' }) next_after!: string | null;
}

export class SealedDigestsResponse {
  @ApiProperty({ type: [DigestResponse], description: 'the digests sealed now; empty when nothing was written since the last' }) items!: DigestResponse[];
}

class MismatchResponse {
  @ApiProperty({ description: 'the event’s position, or the digest’s first position for a digest that is not as signed' }) position!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) event_id!: string | null;
  @ApiProperty({ enum: REASONS }) reason!: MismatchReason;
}

export class VerificationResponse {
  @ApiProperty({ description: 'the workspace’s events found exactly as sealed' }) verified_events!: number;
  @ApiProperty() digests_checked!: number;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'the last position the checked digests cover; later events are not sealed yet' }) sealed_to_position!: string | null;
  @ApiPropertyOptional({ type: MismatchResponse, description: 'the first difference in log order; absent when ok' }) first_mismatch?: MismatchResponse;
}
