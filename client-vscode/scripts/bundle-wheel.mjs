// Builds untilgreen's wheel from the repository into wheels/, which the .vsix ships: the extension offers to
// install it into an interpreter that lacks untilgreen (there is no package index release to install from).
// The wheel is built with the locked build backend in a throwaway virtualenv (requirements-build.lock, hash
// checked), so a fresh clone needs nothing but a Python 3.10+ and the package index. Next to the wheel goes
// wheels/requirements.lock: the runtime lock plus the wheel with its hash, which the extension installs with
// `pip install --no-deps --require-hashes` (a complete lock: nothing is resolved against the index).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extensionRoot, python, repoRoot } from './python.mjs';

const out = join(extensionRoot, 'wheels');
const scratch = mkdtempSync(join(tmpdir(), 'untilgreen-wheel-'));
const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' });
try {
  const env = join(scratch, 'build-env');
  run(python(), ['-m', 'venv', env]);
  const envPython = join(env, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
  const pip = (...args) => run(envPython, ['-m', 'pip', '--disable-pip-version-check', '--quiet', ...args]);
  pip('install', '--no-deps', '--require-hashes', '-r', join(repoRoot, 'requirements-build.lock'));
  const built = join(scratch, 'wheel');
  pip('wheel', '--no-deps', '--no-build-isolation', '-w', built, repoRoot);
  const wheels = readdirSync(built).filter((name) => /^untilgreen-.+\.whl$/.test(name));
  if (wheels.length !== 1) {
    throw new Error(`expected one untilgreen wheel, found: ${wheels.join(', ') || 'none'}`);
  }
  const wheel = wheels[0];
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  copyFileSync(join(built, wheel), join(out, wheel));
  const digest = createHash('sha256').update(readFileSync(join(out, wheel))).digest('hex');
  const runtime = readFileSync(join(repoRoot, 'requirements.lock'), 'utf8');
  writeFileSync(join(out, 'requirements.lock'), `${runtime.trimEnd()}\n./${wheel} --hash=sha256:${digest}\n`);
  console.log(`wheels/${wheel}, wheels/requirements.lock`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
