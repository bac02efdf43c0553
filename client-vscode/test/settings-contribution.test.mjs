// package.json's settings mirror the server's (untilgreen.settings.SPECS) one for one: names, types, defaults,
// choices, descriptions and trust. On failure, run `npm run sync-settings` and commit package.json.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { extensionRoot } from '../scripts/python.mjs';
import { camelCase, CLIENT_PROPERTIES, configuration, serverSpecs } from '../scripts/settings-contribution.mjs';

const manifest = JSON.parse(readFileSync(join(extensionRoot, 'package.json'), 'utf8'));
const properties = manifest.contributes.configuration.properties;
const specs = serverSpecs();

test('every server setting is contributed under its camelCase name, with its default and help', () => {
  assert.ok(specs.length > 20, `only ${specs.length} settings read from the server`);
  for (const spec of specs) {
    const property = properties[`untilgreen.${camelCase(spec.name)}`];
    assert.ok(property, `untilgreen.${camelCase(spec.name)} is missing from package.json (npm run sync-settings)`);
    assert.deepEqual(property.default, spec.default, spec.name);
    assert.ok(property.description.toLowerCase().startsWith(spec.help.toLowerCase().slice(0, 20)), spec.name);
    assert.equal(property.scope, spec.trusted ? 'machine' : 'resource', spec.name);
  }
});

test('package.json has no setting the server does not know, besides the extension\'s own', () => {
  const known = new Set([...specs.map((s) => `untilgreen.${camelCase(s.name)}`), ...Object.keys(CLIENT_PROPERTIES)]);
  assert.deepEqual(Object.keys(properties).filter((name) => !known.has(name)), []);
});

test('package.json is exactly what sync-settings generates', () => {
  assert.deepEqual(manifest.contributes.configuration, configuration(specs));
});
