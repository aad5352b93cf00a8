// Entry point of the VS Code extension: starts `transverify serve`, exposes the commands,
// keeps the status bar current and the API key in SecretStorage.

import { execFile } from "child_process";
import * as vscode from "vscode";
import { ExecuteCommandRequest, LanguageClient, LanguageClientOptions, ServerOptions, State } from "vscode-languageclient/node";

import { EXPORT_FORMATS, translateActions } from "./actions";
import { diffTitle, SourceUnitAnswer, UNIT_SCHEME, unitPath, unusable } from "./compare";
import { DialogueNotice, dialogueLines } from "./dialogue";
import { RecordNode, RecordStats, recordTree } from "./records";
import { missingServerMessage, ProbeResult, probeInvocation } from "./firstrun";
import { cliInvocation, Invocation, LaunchSettings, serverInvocation } from "./launch";
import { API_KEY_SECRET, redact, serverEnvironment } from "./secrets";
import { ServerState, statusView } from "./status";
import { machineSettings, touchesMachineSetting, userLevel } from "./trust";

let client: LanguageClient | undefined;
let statusItem: vscode.StatusBarItem;
let output: vscode.OutputChannel;
let translationOutput: vscode.OutputChannel;
let recordsView: RecordsProvider;
const unitTexts = new Map<string, string>();  // transverify-unit: documents, by query key
let unitCounter = 0;
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
      // Client-side commands the server may put in code lenses.
      clientCommands: ["transverify.compareWithSource"],
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
          const readme = (result as { status?: string; readme?: unknown } | undefined);
          if (command === "transverify.writeReproducer" && readme?.status === "written" && typeof readme.readme === "string") {
            await vscode.window.showTextDocument(vscode.Uri.parse(readme.readme), { preview: true });
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
  client.onNotification("transverify/dialogue", (notice: DialogueNotice) => {
    translationOutput.clear();
    translationOutput.appendLine(dialogueLines(notice).join("\n"));
    translationOutput.show(true);
  });
  client.onNotification("transverify/recordsChanged", () => recordsView.refresh());
  recordsView.refresh();
}

/** A server command without the status bar's job accounting (quick reads). */
async function askServer<T>(command: string, args: unknown[]): Promise<T | undefined> {
  if (!client || !client.isRunning()) {
    return undefined;
  }
  return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as T;
}

class RecordsProvider implements vscode.TreeDataProvider<RecordNode> {
  private readonly changed = new vscode.EventEmitter<RecordNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Promise<RecordNode[]> | undefined;

  refresh(): void {
    this.roots = undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(node: RecordNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.children && node.children.length
      ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.description = node.description;
    item.tooltip = node.tooltip;
    if (node.icon) {
      item.iconPath = new vscode.ThemeIcon(node.icon);
    }
    return item;
  }

  getChildren(node?: RecordNode): Thenable<RecordNode[]> | RecordNode[] {
    if (node) {
      return node.children ?? [];
    }
    if (!this.roots) {
      this.roots = askServer<RecordStats>("transverify.recordStats", [])
        .then((stats) => recordTree(stats), (error) => recordTree({ status: "error", message: (error as Error).message }));
    }
    return this.roots;
  }
}

async function compareWithSource(arg?: { uri?: string } | vscode.Uri): Promise<void> {
  const uri = arg instanceof vscode.Uri ? arg.toString()
    : typeof arg?.uri === "string" ? arg.uri : vscode.window.activeTextEditor?.document.uri.toString();
  if (!uri) {
    vscode.window.showInformationMessage("transverify: open a translated file (or its source) first.");
    return;
  }
  const answer = await askServer<SourceUnitAnswer>("transverify.sourceUnit", [{ uri }]);
  const problem = unusable(answer);
  if (problem) {
    vscode.window.showWarningMessage(`transverify: ${problem}`);
    return;
  }
  const key = String(++unitCounter);
  unitTexts.set(key, answer!.source!.text!);
  unitTexts.delete(String(unitCounter - 50));  // keep the last few comparisons openable, not every one
  const left = vscode.Uri.from({ scheme: UNIT_SCHEME, path: unitPath(answer!), query: key });
  const right = vscode.Uri.parse(answer!.target!.uri);
  await vscode.commands.executeCommand("vscode.diff", left, right, diffTitle(answer!), { preview: true });
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

/** --store for the CLI when the user set transverify.recordsPath: the store the server and the view use. */
function storeArgs(): string[] {
  const path = userLevel<string>(vscode.workspace.getConfiguration("transverify").inspect<string>("recordsPath"), "");
  return typeof path === "string" && path.trim() ? ["--store", path.trim()] : [];
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
  translationOutput = vscode.window.createOutputChannel("transverify: Translation");
  statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  statusItem.command = "transverify.recordsStats";
  recordsView = new RecordsProvider();
  context.subscriptions.push(output, translationOutput, statusItem);
  refreshStatus();

  context.subscriptions.push(
    vscode.window.registerTreeDataProvider("transverify.records", recordsView),
    vscode.workspace.registerTextDocumentContentProvider(UNIT_SCHEME, {
      provideTextDocumentContent: (uri) => unitTexts.get(uri.query) ?? "",
    }),
    vscode.commands.registerCommand("transverify.compareWithSource", compareWithSource),
    vscode.commands.registerCommand("transverify.refreshRecords", () => recordsView.refresh()),
    vscode.commands.registerCommand("transverify.writeReproducerCurrent", async () => {
      const editor = vscode.window.activeTextEditor;
      if (editor) {
        await vscode.commands.executeCommand("transverify.writeReproducer", { uri: editor.document.uri.toString() });
      }
    }),
  );

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
        await runCli(["records", "export", "--format", format, "--out", target.fsPath, ...storeArgs()]);
        vscode.window.showInformationMessage(`transverify: records exported to ${target.fsPath}`);
      } catch (error) {
        vscode.window.showErrorMessage(`transverify: export failed: ${(error as Error).message}`);
      }
    }),
    vscode.commands.registerCommand("transverify.recordsStats", async () => {
      try {
        output.appendLine(await runCli(["records", "stats", ...storeArgs()]));
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
