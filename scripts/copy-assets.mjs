// The built CLI reads the shipped model files next to its own code; tsc copies only .ts, so copy the YAML.
import { cpSync, mkdirSync } from 'node:fs';

mkdirSync('dist/src/models', { recursive: true });
cpSync('src/models', 'dist/src/models', { recursive: true, filter: (p) => !p.endsWith('.ts') });
