import 'reflect-metadata';
import { start } from './start';

// Embedded default: api, projector and worker in one process (or the roles named in ROLES).
void start();
