// Machine settings: what runs as the user (compilers, the server command) and where code and
// the API key go (the LLM endpoint, the record store). A cloned repository's .vscode/settings.json
// must not set them, so they are read from the user's own levels only and sent to the server as
// initializationOptions.machineSettings, which the server takes over anything a workspace says.

/** The keys (under "transverify.") that only user-level settings may set. */
export const MACHINE_KEYS = [
  "server.command",
  "server.python",
  "llm.baseUrl",
  "recordsPath",
  "toolchain.gfortran",
  "toolchain.gxx",
  "toolchain.nvcc",
] as const;

/** What vscode.WorkspaceConfiguration.inspect() returns, reduced to the levels read here. */
export interface Inspected<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/** A setting's user-level value, else its default: workspace and folder values are ignored. */
export function userLevel<T>(inspected: Inspected<T> | undefined, fallback: T): T {
  if (!inspected) {
    return fallback;
  }
  if (inspected.globalValue !== undefined) {
    return inspected.globalValue;
  }
  return inspected.defaultValue !== undefined ? inspected.defaultValue : fallback;
}

/**
 * initializationOptions.machineSettings, nested as the server reads it:
 * { llm: { baseUrl }, recordsPath, toolchain: { gfortran, gxx, nvcc } } (server.* stay in the extension).
 */
export function machineSettings(inspect: (key: string) => Inspected<unknown> | undefined): Record<string, unknown> {
  const text = (key: string): string => {
    const value = userLevel(inspect(key), "");
    return typeof value === "string" ? value.trim() : "";
  };
  return {
    llm: { baseUrl: text("llm.baseUrl") },
    recordsPath: text("recordsPath"),
    toolchain: { gfortran: text("toolchain.gfortran"), gxx: text("toolchain.gxx"), nvcc: text("toolchain.nvcc") },
  };
}

/** True when a configuration change touches a machine setting (the server must restart to see it). */
export function touchesMachineSetting(affects: (section: string) => boolean): boolean {
  return MACHINE_KEYS.some((key) => affects(`transverify.${key}`));
}
