// The Python that build scripts and tests use: $UNTILGREEN_PYTHON, else the repository's .venv, else python3.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const extensionRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = join(extensionRoot, '..');

export function python() {
  if (process.env.UNTILGREEN_PYTHON) {
    return process.env.UNTILGREEN_PYTHON;
  }
  const venv = join(repoRoot, '.venv', process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
  return existsSync(venv) ? venv : 'python3';
}
