// How to start the language server and the CLI: pure logic, unit-tested without VS Code.

export interface LaunchSettings {
  /** transverify.server.command: full argv of the server, or empty. */
  command: string[];
  /** transverify.server.python: interpreter where transverify is installed, or empty. */
  python: string;
}

export interface Invocation {
  command: string;
  args: string[];
}

/** The interpreter to use: the setting, else the Python extension's choice, else python3. */
export function pythonFor(settings: LaunchSettings, selectedInterpreter?: string): string {
  const configured = settings.python.trim();
  if (configured) {
    return configured;
  }
  if (selectedInterpreter && selectedInterpreter.trim()) {
    return selectedInterpreter.trim();
  }
  return "python3";
}

/** argv of `transverify serve`. */
export function serverInvocation(settings: LaunchSettings, selectedInterpreter?: string): Invocation {
  const command = settings.command.filter((part) => part.trim() !== "");
  if (command.length > 0) {
    return { command: command[0], args: command.slice(1) };
  }
  return { command: pythonFor(settings, selectedInterpreter), args: ["-m", "transverify", "serve"] };
}

/**
 * argv of another `transverify` sub-command, run with the same installation as the server:
 * a configured server command ending in "serve" has that word replaced.
 */
export function cliInvocation(settings: LaunchSettings, subcommand: string[], selectedInterpreter?: string): Invocation {
  const command = settings.command.filter((part) => part.trim() !== "");
  if (command.length > 0) {
    const base = command[command.length - 1] === "serve" ? command.slice(0, -1) : command;
    return { command: base[0], args: [...base.slice(1), ...subcommand] };
  }
  return { command: pythonFor(settings, selectedInterpreter), args: ["-m", "transverify", ...subcommand] };
}
