import { ApiProperty } from '@nestjs/swagger';

export class UnitResponse {
  @ApiProperty({ format: 'uuid' }) workspace_id!: string;
  @ApiProperty({ enum: ['instance', 'stream'] }) subject_type!: string;
  @ApiProperty({ format: 'uuid' }) subject_id!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ enum: ['running', 'stopped'] }) status!: string;
  @ApiProperty({ format: 'date-time', description: 'when its first metered run began' }) started_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'when its last run ended; null while running' }) ended_at!: string | null;
  @ApiProperty() seconds!: number;
  @ApiProperty() energy_kwh!: number;
  @ApiProperty() emissions_g!: number;
  @ApiProperty() cost!: number;
}
