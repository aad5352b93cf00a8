// What to tell a user whose language server cannot start: pure logic, unit-tested without VS Code.

import { Invocation } from "./launch";

/** How the start-up probe (`<server argv without "serve"> --version`) ended. */
export interface ProbeResult {
  /** Node's error code when the program could not be run at all, e.g. "ENOENT". */
  spawnError?: string;
  exitCode?: number;
  output: string;
}

export const SETUP_HINT =
  "From a clone of the transverify repository run `scripts/setup.sh` (it installs gfortran, g++ and " +
  "bubblewrap and creates .venv), then set the user setting transverify.server.python to " +
  "<clone>/.venv/bin/python.";

/** The probe's argv: the server's own installation, asked for its version. */
export function probeInvocation(server: Invocation): Invocation {
  const args = server.args[server.args.length - 1] === "serve" ? server.args.slice(0, -1) : server.args;
  return { command: server.command, args: [...args, "--version"] };
}

/**
 * The first-run message: exactly what is missing and what to install, or undefined when the
 * probe says transverify runs (the failure lies elsewhere; the server's log tells).
 */
export function missingServerMessage(server: Invocation, probe: ProbeResult): string | undefined {
  const program = server.command;
  const isPython = /python[0-9.]*$/.test(program) && server.args[0] === "-m";
  if (probe.spawnError === "ENOENT" || probe.spawnError === "EACCES") {
    if (isPython) {
      return `transverify: no Python found at '${program}'. Install Python 3.10 or newer (Debian/Ubuntu: ` +
        "sudo apt-get install python3 python3-venv) and transverify. " + SETUP_HINT;
    }
    return `transverify: the server command '${program}' (transverify.server.command) cannot be run. ` +
      "Point it at an installed transverify, e.g. [\"/path/to/.venv/bin/transverify\", \"serve\"]. " + SETUP_HINT;
  }
  if (probe.exitCode !== undefined && probe.exitCode !== 0) {
    if (/No module named ['"]?transverify/.test(probe.output)) {
      return `transverify: '${program}' has no transverify installed. ` + SETUP_HINT;
    }
    const detail = probe.output.trim().split("\n").slice(-1)[0] ?? "";
    return `transverify: '${[program, ...server.args].join(" ")}' failed to start (${detail}). ` + SETUP_HINT;
  }
  return undefined;
}
