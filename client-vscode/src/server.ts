// The language server's lifecycle: find the interpreter, check untilgreen is there, start, stop, restart.
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { offerInstall } from './install';
import { Log, showError } from './logger';
import { ATTEMPT_NOTIFICATION, AttemptNote, RUN_NOTIFICATION, RunNote } from './protocol';
import { findInterpreter, probe } from './python';
import { readServerSettings, SECTION } from './settings';

export type ServerState = 'starting' | 'running' | 'stopped';

export interface ServerEvents {
  onAttempt(note: AttemptNote): void;
  onRun(note: RunNote): void;
  onState(state: ServerState, detail: string): void;
}

export class Server implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
    private readonly events: ServerEvents,
  ) {}

  /** Starts (or restarts) the server; calls made while one is under way run after it. */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.shutdown();
      await this.launch();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.shutdown());
  }

  /** Tells the running server its settings changed; it asks for them again (`workspace/configuration`). */
  settingsChanged(): Promise<void> {
    return this.enqueue(async () => {
      if (this.client?.isRunning()) {
        await this.client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      }
    });
  }

  /** Sends `workspace/executeCommand`; fails with a sentence when the server is not running. */
  async execute<T>(command: string, args: unknown[] = []): Promise<T> {
    await this.queue;
    if (!this.client?.isRunning()) {
      throw new Error('the untilgreen server is not running (see the untilgreen output; Restart Server retries).');
    }
    return this.client.sendRequest<T>('workspace/executeCommand', { command, arguments: args });
  }

  dispose(): void {
    void this.stop();
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step, step);
    return this.queue;
  }

  private async launch(): Promise<void> {
    this.events.onState('starting', 'starting the server');
    const folder = vscode.workspace.workspaceFolders?.[0];
    const interpreter = await findInterpreter(folder);
    this.log.info(`interpreter: ${interpreter.path} (${interpreter.source})`);
    const found = await probe(interpreter.path, folder?.uri.fsPath);
    if (found.kind !== 'ready') {
      const problem =
        found.kind === 'no-interpreter'
          ? `The Python interpreter ${interpreter.path} was not found.`
          : found.kind === 'no-untilgreen'
            ? `untilgreen is not installed in ${interpreter.path}.`
            : `${interpreter.path} failed to run: ${found.detail}.`;
      this.events.onState('stopped', problem);
      if (found.kind === 'no-untilgreen') {
        void offerInstall(interpreter.path, this.context.extensionPath, this.log).then((installed) => {
          if (installed) {
            void this.restart();
          }
        });
      } else {
        void showError(this.log, `${problem} Set untilgreen.interpreter.`, 'Open Settings').then((choice) => {
          if (choice) {
            void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.interpreter`);
          }
        });
      }
      return;
    }

    const serverOptions: ServerOptions = {
      command: interpreter.path,
      args: ['-m', 'untilgreen', 'lsp'],
      options: { cwd: folder?.uri.fsPath },
    };
    const settings = (scope?: vscode.Uri) => readServerSettings(this.context.extension, scope);
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        { scheme: 'untitled', language: 'python' },
      ],
      outputChannel: this.log,
      traceOutputChannel: this.log,
      initializationOptions: { ...settings(folder?.uri), workspaceTrusted: vscode.workspace.isTrusted },
      middleware: {
        workspace: {
          // Only what the user set, and never the extension's own keys: see settings.ts.
          configuration: (params, token, next) =>
            params.items.every((item) => item.section === SECTION)
              ? params.items.map((item) => settings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined))
              : next(params, token),
        },
      },
    };
    const client = new LanguageClient(SECTION, 'untilgreen', serverOptions, clientOptions);
    client.onNotification(ATTEMPT_NOTIFICATION, (note: AttemptNote) => this.events.onAttempt(note));
    client.onNotification(RUN_NOTIFICATION, (note: RunNote) => this.events.onRun(note));
    // Also when the client restarts a server that crashed.
    client.onDidChangeState(({ newState }) => {
      if (this.client !== client) {
        return;
      }
      if (newState === State.Running) {
        this.events.onState('running', `${interpreter.path} -m untilgreen lsp`);
      } else if (newState === State.Stopped) {
        this.events.onState('stopped', 'the server stopped (see the untilgreen output)');
      }
    });
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      this.client = undefined;
      const problem = `The untilgreen server did not start with ${interpreter.path}: ${String(error)}`;
      this.events.onState('stopped', problem);
      void showError(this.log, problem);
    }
  }

  private async shutdown(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        await client.stop(5000);
      } catch (error) {
        this.log.warn(`stopping the server: ${String(error)}`);
      }
    }
  }
}
