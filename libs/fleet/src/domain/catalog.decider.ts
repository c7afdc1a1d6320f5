import { Aggregate, ConflictError, Decider, NotFoundError } from '@streamplane/core/domain';
import { CatalogEvent, CatalogMachineType, catalogStreams, CatalogVersion } from './catalog.events';

type Retirable = { retired_at: string | null };
export type VersionEntry = CatalogVersion & Retirable;
export type MachineTypeEntry = CatalogMachineType & Retirable;

export type CatalogCommand =
  /** A seeded version without `released_at` (a FLEET_CATALOG_FILE may omit it) is released at the seed. */
  | { type: 'Seed'; source: string; versions: Array<Omit<CatalogVersion, 'released_at'> & { released_at?: string }>; machineTypes: CatalogMachineType[]; now: Date }
  | { type: 'PublishVersion'; version: string; description: string; now: Date }
  | { type: 'RetireVersion'; version: string; now: Date }
  | { type: 'PublishMachineType'; machineType: CatalogMachineType; now: Date }
  | { type: 'RetireMachineType'; name: string; now: Date };

/** Entries in the order they were first published; a republished one keeps its place. */
export interface CatalogState {
  seeded: boolean;
  versions: Record<string, VersionEntry>;
  machineTypes: Record<string, MachineTypeEntry>;
}

export const catalogDecider: Decider<CatalogCommand, CatalogEvent, CatalogState> = {
  initialState: () => ({ seeded: false, versions: {}, machineTypes: {} }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'CatalogSeeded':
        return { ...state, seeded: true };
      case 'CatalogVersionPublished': {
        const { at: _at, ...version } = event.data;
        return { ...state, versions: { ...state.versions, [version.version]: { ...version, retired_at: null } } };
      }
      case 'CatalogVersionRetired':
        return { ...state, versions: { ...state.versions, [event.data.version]: { ...state.versions[event.data.version], retired_at: event.data.at } } };
      case 'CatalogMachineTypePublished': {
        const { at: _at, ...machineType } = event.data;
        return { ...state, machineTypes: { ...state.machineTypes, [machineType.name]: { ...machineType, retired_at: null } } };
      }
      case 'CatalogMachineTypeRetired':
        return { ...state, machineTypes: { ...state.machineTypes, [event.data.name]: { ...state.machineTypes[event.data.name], retired_at: event.data.at } } };
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },
  decide: (command, state) => {
    const at = command.now.toISOString();
    switch (command.type) {
      case 'Seed':
        // Once only: what admins retired or published since is never undone by a later start.
        if (state.seeded) return [];
        return [
          ...command.versions.map((v): CatalogEvent => ({ type: 'CatalogVersionPublished', data: { ...v, released_at: v.released_at ?? at, at } })),
          ...command.machineTypes.map((m): CatalogEvent => ({ type: 'CatalogMachineTypePublished', data: { ...m, at } })),
          { type: 'CatalogSeeded', data: { source: command.source, at } },
        ];
      case 'PublishVersion':
        if (state.versions[command.version]?.retired_at === null) throw new ConflictError(`version ${command.version} is already available`);
        return [{ type: 'CatalogVersionPublished', data: { version: command.version, description: command.description, released_at: at, at } }];
      case 'RetireVersion':
        return retire(state.versions[command.version], `no version ${command.version} in the catalog`, () => ({ type: 'CatalogVersionRetired', data: { version: command.version, at } }));
      case 'PublishMachineType':
        if (state.machineTypes[command.machineType.name]?.retired_at === null) throw new ConflictError(`machine type ${command.machineType.name} is already available`);
        return [{ type: 'CatalogMachineTypePublished', data: { ...command.machineType, at } }];
      case 'RetireMachineType':
        return retire(state.machineTypes[command.name], `no machine type ${command.name} in the catalog`, () => ({ type: 'CatalogMachineTypeRetired', data: { name: command.name, at } }));
    }
  },
};

/** Retiring twice changes nothing (a repeated DELETE is answered alike); an unknown entry is a 404. */
function retire(entry: Retirable | undefined, unknown: string, retired: () => CatalogEvent): CatalogEvent[] {
  if (!entry) throw new NotFoundError(unknown);
  return entry.retired_at === null ? [retired()] : [];
}

/** The platform's catalog: one stream, of no workspace. */
export const catalog: Aggregate<CatalogCommand, CatalogEvent, CatalogState> = { category: catalogStreams, decider: catalogDecider };
