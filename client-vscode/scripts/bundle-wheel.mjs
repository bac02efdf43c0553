// Builds untilgreen's wheel from the repository into wheels/, which the .vsix ships: the extension offers to
// install it into an interpreter that lacks untilgreen (there is no package index release to install from).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extensionRoot, python, repoRoot } from './python.mjs';

const out = join(extensionRoot, 'wheels');
const scratch = mkdtempSync(join(tmpdir(), 'untilgreen-wheel-'));
try {
  execFileSync(python(), ['-m', 'pip', 'wheel', '--quiet', '--no-deps', '--no-build-isolation', '-w', scratch, repoRoot], {
    stdio: 'inherit',
  });
  const wheels = readdirSync(scratch).filter((name) => /^untilgreen-.+\.whl$/.test(name));
  if (wheels.length !== 1) {
    throw new Error(`expected one untilgreen wheel, found: ${wheels.join(', ') || 'none'}`);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  copyFileSync(join(scratch, wheels[0]), join(out, wheels[0]));
  console.log(`wheels/${wheels[0]}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
