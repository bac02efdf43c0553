// The `contributes.configuration` of package.json, generated from the server's settings (untilgreen.settings.SPECS)
// so the two cannot drift apart: `npm run sync-settings` writes it, test/settings-contribution.test.mjs checks it.
import { execFileSync } from 'node:child_process';
import { python, repoRoot } from './python.mjs';

const DUMP = `
import json, typing
from untilgreen.settings import SPECS
KINDS = {str: "string", int: "integer", float: "number", bool: "boolean"}
def kind(t):
    if typing.get_origin(t) is list and typing.get_args(t) == (str,):
        return "array"
    return KINDS[t]
print(json.dumps([{"name": s.name, "type": kind(s.type), "default": s.default, "help": s.help,
                   "trusted": s.trusted, "choices": list(s.choices)} for s in SPECS.values()]))
`;

/** The server's setting specs, read from the Python package. */
export function serverSpecs(interpreter = python()) {
  return JSON.parse(execFileSync(interpreter, ['-c', DUMP], { cwd: repoRoot, encoding: 'utf8' }));
}

/** `sandbox.test_timeout` -> `sandbox.testTimeout` (the editor's spelling; the server reads both). */
export function camelCase(name) {
  return name.replace(/_([a-z])/g, (_, letter) => letter.toUpperCase());
}

function sentence(text) {
  const trimmed = text.trim();
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1) + (/[.)]$/.test(trimmed) ? '' : '.');
}

/** The extension's own settings, in the same section. */
export const CLIENT_PROPERTIES = {
  'untilgreen.interpreter': {
    type: 'string',
    default: '',
    scope: 'resource',
    order: 0,
    markdownDescription:
      'Python interpreter that runs the untilgreen server (`python -m untilgreen lsp`). Empty: the Python ' +
      "extension's active environment when it is installed, else `python3`. `~`, `${userHome}` and " +
      '`${workspaceFolder}` are expanded. The project\'s tests may use another interpreter: see `#untilgreen.python#`.',
  },
  'untilgreen.trace.server': {
    type: 'string',
    enum: ['off', 'messages', 'verbose'],
    default: 'off',
    order: 1,
    description: 'Traces the messages between VS Code and the untilgreen server in the untilgreen output.',
  },
};

export function serverProperty(spec, order) {
  const property = {
    type: spec.type,
    default: spec.default,
    description:
      sentence(spec.help) +
      (spec.trusted ? ' Trusted: read from user settings only, never from a workspace (it can send data or code elsewhere, or turn off a safeguard).' : ''),
    scope: spec.trusted ? 'machine' : 'resource',
    order,
  };
  if (spec.choices.length) {
    property.enum = spec.choices;
  }
  if (spec.type === 'array') {
    property.items = { type: 'string' };
  }
  return property;
}

export function configuration(specs) {
  const properties = { ...CLIENT_PROPERTIES };
  specs.forEach((spec, index) => {
    properties[`untilgreen.${camelCase(spec.name)}`] = serverProperty(spec, index + 2);
  });
  return { title: 'untilgreen', properties };
}
