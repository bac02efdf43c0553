// Rewrites contributes.configuration in package.json from the server's settings.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extensionRoot } from './python.mjs';
import { configuration, serverSpecs } from './settings-contribution.mjs';

const file = join(extensionRoot, 'package.json');
const manifest = JSON.parse(readFileSync(file, 'utf8'));
manifest.contributes.configuration = configuration(serverSpecs());
writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
console.log(`package.json: ${Object.keys(manifest.contributes.configuration.properties).length} settings`);
