// Which Python runs the server: the extension's setting, then the Python extension's active environment, then
// python3; and whether untilgreen is installed in it.
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SECTION } from './settings';

export type InterpreterSource = 'setting' | 'Python extension' | 'default';

export interface Interpreter {
  readonly path: string;
  readonly source: InterpreterSource;
}

export interface Variables {
  readonly workspaceFolder?: string;
  readonly userHome: string;
}

/** `~`, `${userHome}` and `${workspaceFolder}` expanded; a relative path with a separator is taken from the folder. */
export function substitute(value: string, vars: Variables): string {
  let result = value
    .replace(/^~(?=$|[\\/])/, vars.userHome)
    .replace(/\$\{userHome\}/g, vars.userHome);
  if (vars.workspaceFolder !== undefined) {
    result = result.replace(/\$\{workspaceFolder\}/g, vars.workspaceFolder);
    if (/[\\/]/.test(result) && !path.isAbsolute(result)) {
      result = path.resolve(vars.workspaceFolder, result);
    }
  }
  return result;
}

export function resolveInterpreter(
  setting: string,
  pythonExtension: string | undefined,
  vars: Variables,
  platform: NodeJS.Platform = process.platform,
): Interpreter {
  if (setting.trim()) {
    return { path: substitute(setting.trim(), vars), source: 'setting' };
  }
  if (pythonExtension) {
    return { path: pythonExtension, source: 'Python extension' };
  }
  return { path: platform === 'win32' ? 'python' : 'python3', source: 'default' };
}

/** The part of the Python extension's API used here. */
interface PythonApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
    resolveEnvironment(environment: { path: string }): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
  };
}

async function pythonApi(): Promise<PythonApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonApi>('ms-python.python');
  if (!extension) {
    return undefined;
  }
  try {
    return extension.isActive ? extension.exports : await extension.activate();
  } catch {
    return undefined;
  }
}

async function activeEnvironment(resource?: vscode.Uri): Promise<string | undefined> {
  const environments = (await pythonApi())?.environments;
  if (!environments) {
    return undefined;
  }
  const environment = await environments.resolveEnvironment(environments.getActiveEnvironmentPath(resource));
  return environment?.executable.uri?.fsPath;
}

/** Calls `listener` when the Python extension's active environment changes (nothing when it is not installed). */
export async function onDidChangeActiveEnvironment(listener: () => void): Promise<vscode.Disposable | undefined> {
  return (await pythonApi())?.environments?.onDidChangeActiveEnvironmentPath(listener);
}

export async function findInterpreter(folder?: vscode.WorkspaceFolder): Promise<Interpreter> {
  const setting = vscode.workspace.getConfiguration(SECTION, folder?.uri).get<string>('interpreter', '');
  const fromExtension = setting.trim() ? undefined : await activeEnvironment(folder?.uri);
  return resolveInterpreter(setting, fromExtension, { workspaceFolder: folder?.uri.fsPath, userHome: os.homedir() });
}

export type Probe =
  | { readonly kind: 'ready' }
  | { readonly kind: 'no-interpreter' }
  | { readonly kind: 'no-untilgreen' }
  | { readonly kind: 'broken'; readonly detail: string };

const MISSING = 3;
const PROBE = `import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('untilgreen') else ${MISSING})`;

export function classifyProbe(spawnError: string | undefined, exitCode: number | null, stderr: string): Probe {
  if (spawnError === 'ENOENT' || spawnError === 'EACCES') {
    return { kind: 'no-interpreter' };
  }
  if (spawnError) {
    return { kind: 'broken', detail: spawnError };
  }
  if (exitCode === 0) {
    return { kind: 'ready' };
  }
  if (exitCode === MISSING) {
    return { kind: 'no-untilgreen' };
  }
  return { kind: 'broken', detail: stderr.trim().split('\n').pop() || `exit code ${exitCode}` };
}

/** Runs the interpreter once to see whether it exists and can import untilgreen. */
export function probe(python: string, cwd?: string): Promise<Probe> {
  return new Promise((resolve) => {
    let stderr = '';
    const child = spawn(python, ['-c', PROBE], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => resolve(classifyProbe(error.code ?? error.message, null, stderr)));
    child.on('close', (code) => resolve(classifyProbe(undefined, code, stderr)));
  });
}
