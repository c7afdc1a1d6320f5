import 'reflect-metadata';
import { start } from '../../streamplane/src/start';

void start(['api']);
