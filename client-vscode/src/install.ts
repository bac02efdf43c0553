// Installing untilgreen into the chosen interpreter from the wheel bundled inside the extension.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Log, showError } from './logger';

/** The untilgreen wheel in `<extension>/wheels/` (the newest by name when several are there). */
export function bundledWheel(extensionPath: string): string | undefined {
  const folder = path.join(extensionPath, 'wheels');
  const wheels = fs.existsSync(folder)
    ? fs.readdirSync(folder).filter((name) => /^untilgreen-.+\.whl$/.test(name)).sort()
    : [];
  return wheels.length ? path.join(folder, wheels[wheels.length - 1]) : undefined;
}

/**
 * Says untilgreen is missing from `python` and offers to install it in a terminal.
 * Resolves to true once pip has finished successfully, false when the user declined or pip failed.
 */
export async function offerInstall(python: string, extensionPath: string, log: Log): Promise<boolean> {
  const wheel = bundledWheel(extensionPath);
  const message = `untilgreen is not installed in ${python}.`;
  if (!wheel) {
    await showError(log, `${message} Install it there, or set untilgreen.interpreter to a Python that has it.`);
    return false;
  }
  if ((await showError(log, message, 'Install')) !== 'Install') {
    return false;
  }
  log.info(`installing ${wheel} and its locked dependencies with ${python} -m pip`);
  const terminal = vscode.window.createTerminal({
    name: 'untilgreen: install',
    shellPath: python,
    // wheels/requirements.lock is the runtime lock plus the wheel (a path relative to the folder) with its hash:
    // a complete lock, installed as it is, so the same files install on any day whatever the index serves.
    shellArgs: ['-m', 'pip', 'install', '--no-deps', '--require-hashes', '-r', 'requirements.lock'],
    cwd: path.dirname(wheel),
  });
  terminal.show();
  return new Promise((resolve) => {
    const listener = vscode.window.onDidCloseTerminal((closed) => {
      if (closed !== terminal) {
        return;
      }
      listener.dispose();
      const code = closed.exitStatus?.code;
      log.info(`pip install exited with code ${code}`);
      resolve(code === 0);
    });
  });
}
