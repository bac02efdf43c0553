// The server's settings as the user set them in VS Code, in the shape the server reads.
import * as vscode from 'vscode';

export const SECTION = 'untilgreen';

/** Keys of the `untilgreen` section that belong to the extension, not to the server. */
export const CLIENT_KEYS: readonly string[] = ['interpreter', 'trace.server'];

/** Keys that change how the server is started: only these restart it (which would cancel a run in progress). */
export const STARTUP_KEYS: readonly string[] = ['interpreter'];

/**
 * Whether a settings change needs a new server process. Every other `untilgreen.*` change is sent to the running
 * server (`workspace/didChangeConfiguration`), which reads its settings again and lets a run in progress go on.
 */
export function restartsServer(affects: (section: string) => boolean): boolean {
  return STARTUP_KEYS.some((key) => affects(`${SECTION}.${key}`));
}

export interface Inspected {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** The server's keys (`sandbox.timeout`, ...) among the extension's contributed configuration properties. */
export function serverKeys(properties: Record<string, unknown>): string[] {
  const prefix = SECTION + '.';
  return Object.keys(properties)
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(prefix.length))
    .filter((key) => !CLIENT_KEYS.includes(key));
}

/**
 * The values set explicitly (folder over workspace over user settings), nested: `{sandbox: {timeout: 60}}`.
 * Defaults are left out: the editor is the server's highest layer, and sending defaults would override the
 * project's `[tool.untilgreen]` table and the user's config file.
 */
export function explicitSettings(keys: readonly string[], inspect: (key: string) => Inspected | undefined): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const key of keys) {
    const found = inspect(key);
    const value = found?.workspaceFolderValue ?? found?.workspaceValue ?? found?.globalValue;
    if (value === undefined) {
      continue;
    }
    const parts = key.split('.');
    let table = settings;
    for (const part of parts.slice(0, -1)) {
      table = (table[part] ??= {}) as Record<string, unknown>;
    }
    table[parts[parts.length - 1]] = value;
  }
  return settings;
}

/** The server's settings for a folder (or the whole window). */
export function readServerSettings(extension: vscode.Extension<unknown>, scope?: vscode.Uri): Record<string, unknown> {
  const properties = extension.packageJSON?.contributes?.configuration?.properties ?? {};
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return explicitSettings(serverKeys(properties), (key) => config.inspect(key));
}
