// Entry point of the VS Code extension: starts `transverify serve`, exposes the commands,
// keeps the status bar current and the API key in SecretStorage.

import { execFile } from "child_process";
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, State } from "vscode-languageclient/node";

import { EXPORT_FORMATS, translateActions } from "./actions";
import { missingServerMessage, ProbeResult, probeInvocation } from "./firstrun";
import { cliInvocation, Invocation, LaunchSettings, serverInvocation } from "./launch";
import { API_KEY_SECRET, redact, serverEnvironment } from "./secrets";
import { ServerState, statusView } from "./status";
import { machineSettings, touchesMachineSetting, userLevel } from "./trust";

let client: LanguageClient | undefined;
let statusItem: vscode.StatusBarItem;
let output: vscode.OutputChannel;
let serverState: ServerState = "starting";
const running = new Map<string, string>();
let jobCounter = 0;

function launchSettings(): LaunchSettings {
  // User level only (the settings are machine-scoped too): a workspace cannot choose what runs.
  const config = vscode.workspace.getConfiguration("transverify");
  const command = userLevel<string[]>(config.inspect<string[]>("server.command"), []);
  const python = userLevel<string>(config.inspect<string>("server.python"), "");
  return { command: Array.isArray(command) ? command : [], python: typeof python === "string" ? python : "" };
}

function selectedInterpreter(): string | undefined {
  // The Python extension's interpreter for the workspace, when it is installed and configured.
  const value = vscode.workspace.getConfiguration("python").get<string>("defaultInterpreterPath");
  return value && value !== "python" ? value : undefined;
}

function refreshStatus(): void {
  const view = statusView(serverState, running);
  statusItem.text = view.text;
  statusItem.tooltip = view.tooltip;
  statusItem.show();
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const launch: Invocation = serverInvocation(launchSettings(), selectedInterpreter());
  const apiKey = await context.secrets.get(API_KEY_SECRET);
  const serverOptions: ServerOptions = {
    command: launch.command,
    args: launch.args,
    options: { env: serverEnvironment(process.env, apiKey) },
  };
  const settings = vscode.workspace.getConfiguration().get("transverify") ?? {};
  output.appendLine(`starting ${launch.command} ${launch.args.join(" ")} with ${JSON.stringify(redact(settings))}`);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "fortran" },
      { scheme: "file", language: "FortranFreeForm" },
      { scheme: "file", language: "fortran-modern" },
      { scheme: "file", pattern: "**/*.{f,f90,f95,f03,f08,for,F,F90}" },
      { scheme: "file", language: "cpp" },
      { scheme: "file", language: "cuda-cpp" },
      { scheme: "file", pattern: "**/*.{cu,cuh}" },
      { scheme: "file", language: "python" },
    ],
    initializationOptions: {
      settings,
      machineSettings: machineSettings((key) => vscode.workspace.getConfiguration("transverify").inspect(key)),
    },
    outputChannel: output,
    middleware: {
      // Every server command (translate, re-verify, solver fix) shows in the status bar while it runs.
      executeCommand: async (command, args, next) => {
        const token = `job-${++jobCounter}`;
        running.set(token, command.replace(/^transverify\./, ""));
        refreshStatus();
        try {
          const result = await next(command, args);
          if (result && typeof result === "object" && typeof (result as { message?: unknown }).message === "string") {
            output.appendLine(`${command}: ${(result as { message: string }).message}`);
          }
          return result;
        } finally {
          running.delete(token);
          refreshStatus();
        }
      },
    },
  };
  client = new LanguageClient("transverify", "transverify", serverOptions, clientOptions);
  client.onDidChangeState((event) => {
    serverState = event.newState === State.Running ? "running" : event.newState === State.Starting ? "starting" : "stopped";
    refreshStatus();
  });
  await client.start();
}

async function restartClient(context: vscode.ExtensionContext): Promise<void> {
  if (client) {
    await client.stop();
    client = undefined;
  }
  serverState = "starting";
  refreshStatus();
  await startClient(context);
}

function runCli(args: string[]): Promise<string> {
  const invocation = cliInvocation(launchSettings(), args, selectedInterpreter());
  return new Promise((resolve, reject) => {
    execFile(invocation.command, invocation.args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${stderr || error.message}`.trim()));
      } else {
        resolve(stdout);
      }
    });
  });
}

async function translateHere(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    vscode.window.showInformationMessage("transverify: open a Fortran, C++, CUDA or PyTorch file first.");
    return;
  }
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>(
    "vscode.executeCodeActionProvider", editor.document.uri, editor.selection, vscode.CodeActionKind.RefactorRewrite.value,
  )) ?? [];
  const { runnable, unavailable } = translateActions(actions);
  if (runnable.length === 0) {
    const why = unavailable.length ? unavailable.join("; ") : "no translatable unit (procedure, function, kernel, nn.Module) under the cursor";
    vscode.window.showInformationMessage(`transverify: ${why}`);
    return;
  }
  let chosen = runnable[0];
  if (runnable.length > 1) {
    const pick = await vscode.window.showQuickPick(runnable.map((a) => a.title));
    chosen = runnable.find((a) => a.title === pick) ?? chosen;
    if (!pick) {
      return;
    }
  }
  if (chosen.command) {
    await vscode.commands.executeCommand(chosen.command.command, ...(chosen.command.arguments ?? []));
  }
}

async function verifyAgainstSource(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    vscode.window.showInformationMessage("transverify: open the translated file first.");
    return;
  }
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: "Verify against this source" });
  if (!picked || picked.length === 0) {
    return;
  }
  await vscode.commands.executeCommand("transverify.verifyAgainstSource", {
    uri: editor.document.uri.toString(), source: picked[0].toString(),
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activatedAt = Date.now();
  output = vscode.window.createOutputChannel("transverify");
  statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  statusItem.command = "transverify.recordsStats";
  context.subscriptions.push(output, statusItem);
  refreshStatus();

  context.subscriptions.push(
    vscode.commands.registerCommand("transverify.translateHere", translateHere),
    vscode.commands.registerCommand("transverify.verifyAgainstSourcePick", verifyAgainstSource),
    vscode.commands.registerCommand("transverify.reverifyCurrent", async () => {
      const editor = vscode.window.activeTextEditor;
      if (editor) {
        await vscode.commands.executeCommand("transverify.reverify", { uri: editor.document.uri.toString() });
      }
    }),
    vscode.commands.registerCommand("transverify.exportRecords", async () => {
      const format = await vscode.window.showQuickPick([...EXPORT_FORMATS], { placeHolder: "Export format" });
      if (!format) {
        return;
      }
      const target = await vscode.window.showSaveDialog({ filters: { "JSON Lines": ["jsonl"] } });
      if (!target) {
        return;
      }
      try {
        await runCli(["records", "export", "--format", format, "--out", target.fsPath]);
        vscode.window.showInformationMessage(`transverify: records exported to ${target.fsPath}`);
      } catch (error) {
        vscode.window.showErrorMessage(`transverify: export failed: ${(error as Error).message}`);
      }
    }),
    vscode.commands.registerCommand("transverify.recordsStats", async () => {
      try {
        output.appendLine(await runCli(["records", "stats"]));
        output.show(true);
      } catch (error) {
        vscode.window.showErrorMessage(`transverify: records stats failed: ${(error as Error).message}`);
      }
    }),
    vscode.commands.registerCommand("transverify.setApiKey", async () => {
      const key = await vscode.window.showInputBox({ prompt: "API key of the OpenAI-compatible endpoint", password: true, ignoreFocusOut: true });
      if (key === undefined) {
        return;
      }
      if (key.trim()) {
        await context.secrets.store(API_KEY_SECRET, key.trim());
      } else {
        await context.secrets.delete(API_KEY_SECRET);
      }
      await restartClient(context);  // the key reaches the server through its environment
    }),
    vscode.commands.registerCommand("transverify.restartServer", () => restartClient(context)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("transverify.server") || touchesMachineSetting((s) => event.affectsConfiguration(s))) {
        void restartClient(context);
      }
    }),
  );
  try {
    await startClient(context);
  } catch (error) {
    await explainStartFailure(error);
    return;
  }
  // The server's start-up cost as users feel it: activation to the answer to `initialize`.
  output.appendLine(`language server answered ${Date.now() - activatedAt} ms after activation`);
}

/** First run without Python or transverify: say exactly what to install. */
async function explainStartFailure(error: unknown): Promise<void> {
  const server = serverInvocation(launchSettings(), selectedInterpreter());
  const probe = probeInvocation(server);
  const result = await new Promise<ProbeResult>((resolve) => {
    execFile(probe.command, probe.args, { timeout: 30000 }, (failure, stdout, stderr) => {
      const code = (failure as NodeJS.ErrnoException | null)?.code;
      resolve(typeof code === "string" ? { spawnError: code, output: "" }
        : { exitCode: failure ? (typeof code === "number" ? code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
  const message = missingServerMessage(server, result)
    ?? `transverify: the language server did not start: ${(error as Error).message ?? error}`;
  output.appendLine(message);
  // Not awaited: activation must not wait for the user to read it.
  void vscode.window.showErrorMessage(message, "Open Settings", "Show Log").then((choice) => {
    if (choice === "Open Settings") {
      void vscode.commands.executeCommand("workbench.action.openSettings", "transverify.server");
    } else if (choice === "Show Log") {
      output.show(true);
    }
  });
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
