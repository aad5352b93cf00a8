// Drives the transverify extension inside code-server with Debian's chromium (playwright-core,
// never Playwright's own browser).  Run by test_vscode.py, which starts code-server and talks
// to this script over stdio:
//   stdout "STEP <name>"            a step began (its screenshot lands in OUT/<nn>-<name>.png)
//   stdout "CHECK <kind> <path>"    asks the test to check a file; it answers "ok" or
//                                   "fail <why>" on stdin
//   stdout "FAIL <message>"         the run stopped (screenshot OUT/failure.png)
// Measurements go to OUT/latency.json.  Usage: node drive.mjs CONFIG.json

import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { chromium } from "playwright-core";

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const OUT = config.outputDir;
const WAIT = config.waitMs ?? 60000;  // generous: a loaded 2-core machine is slow
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const measured = {};
let stepNumber = 0;
let page;

function say(line) {
  process.stdout.write(`${line}\n`);
}

async function step(name, body) {
  stepNumber += 1;
  say(`STEP ${name}`);
  await body();
  await page.screenshot({ path: path.join(OUT, `${String(stepNumber).padStart(2, "0")}-${name}.png`) });
}

async function askTest(kind, file) {
  say(`CHECK ${kind} ${file}`);
  const answer = (await lines.next()).value ?? "fail no answer from the test";
  if (answer !== "ok") {
    throw new Error(`${kind} ${file}: ${answer.replace(/^fail /, "")}`);
  }
}

async function waitFor(what, predicate, timeout = WAIT) {
  const start = Date.now();
  for (;;) {
    if (await predicate()) {
      return Date.now() - start;
    }
    if (Date.now() - start > timeout) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function visibleText(selector) {
  const all = page.locator(selector);
  const texts = [];
  for (let i = 0; i < await all.count(); i++) {
    if (await all.nth(i).isVisible()) {
      texts.push(await all.nth(i).innerText());
    }
  }
  return texts.join("\n");
}

async function quickOpen(name) {
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-box input").first();
  await input.waitFor({ state: "visible", timeout: WAIT });
  await input.fill(name);
  const row = page.locator(".quick-input-list .monaco-list-row", { hasText: name.replace(/:\d+$/, "") }).first();
  await row.waitFor({ state: "visible", timeout: WAIT });
  const clickedAt = Date.now();
  await row.click();
  const base = path.basename(name.replace(/:\d+$/, ""));
  await page.locator(".tabs-container .tab.active", { hasText: base }).waitFor({ timeout: WAIT });
  await page.locator(".monaco-editor .view-lines").first().waitFor({ timeout: WAIT });
  return clickedAt;
}

/** Opens a file from the Explorer (Quick Open's file list may not know a file created just now). */
async function openFromExplorer(name) {
  await page.locator(".explorer-folders-view .monaco-list-row", { hasText: name }).first().click();
  await page.locator(".tabs-container .tab.active", { hasText: name }).waitFor({ timeout: WAIT });
}

async function goToLine(line) {
  await page.locator(".monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-box input").first();
  await input.waitFor({ state: "visible", timeout: WAIT });
  await input.fill(`:${line}`);
  await page.keyboard.press("Enter");
  await input.waitFor({ state: "hidden", timeout: WAIT });
}

/** Opens the code action menu (Ctrl+.) until it lists `title`; returns the menu's item. */
async function codeActionMenu(title) {
  const item = page.locator(".action-widget .monaco-list-row", { hasText: title }).first();
  await waitFor(`"${title}" in the code action menu (Ctrl+.)`, async () => {
    await page.keyboard.press("Control+.");
    try {
      await item.waitFor({ state: "visible", timeout: 3000 });
      return true;
    } catch {
      await page.keyboard.press("Escape");
      return false;
    }
  });
  return item;
}

function lineOf(file, needle) {
  const index = fs.readFileSync(file, "utf8").split("\n").findIndex((text) => text.includes(needle));
  if (index < 0) {
    throw new Error(`${file} has no line with ${JSON.stringify(needle)}`);
  }
  return index + 1;
}

async function statusBar() {
  return visibleText(".statusbar .statusbar-item");
}

async function main() {
  const browser = await chromium.launch({
    executablePath: config.chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
  try {
    page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await (config.scenario === "first-run" ? firstRun() : run());
  } catch (error) {
    if (page) {
      await page.screenshot({ path: path.join(OUT, "failure.png") }).catch(() => undefined);
      fs.writeFileSync(path.join(OUT, "failure.html"), await page.content().catch(() => ""));
    }
    say(`FAIL ${String(error.message ?? error).split("\n")[0]}`);
    process.exitCode = 1;
  } finally {
    if (Object.keys(measured).length > 0) {
      fs.writeFileSync(path.join(OUT, "latency.json"), JSON.stringify(measured, null, 2));
    }
    await browser.close();
  }
}

/** No Python where the settings point: the extension says what to install. */
async function firstRun() {
  await step("first-run", async () => {
    await page.goto(`${config.url}/?folder=${encodeURIComponent(config.workspace)}`);
    await page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ timeout: WAIT });
    await waitFor(`a notification saying ${JSON.stringify(config.expect)}`, async () =>
      (await visibleText(".notifications-toasts .notification-toast")).includes(config.expect));
  });
}

async function run() {
  const ws = config.workspace;
  await step("workbench", async () => {
    await page.goto(`${config.url}/?folder=${encodeURIComponent(ws)}`);
    await page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ timeout: WAIT });
  });

  await step("lightbulb-menu", async () => {
    await quickOpen(config.fortran);
    await waitFor("the transverify status bar item to say the server is ready", async () =>
      (await page.locator(".statusbar-item .codicon-check").count()) > 0 && /transverify/.test(await statusBar()));
    await goToLine(lineOf(path.join(ws, config.fortran), "do i = 1"));
    await codeActionMenu("Translate to C++ and verify");
  });

  await step("progress", async () => {
    // The menu opens with its only entry focused: Enter runs it (as a user at the keyboard would).
    await page.keyboard.press("Enter");
    // The job's progress and the running command show in the status bar until the edit arrives.
    await waitFor("the translation's progress in the status bar", async () => /transverify: translate/.test(await statusBar()), 15000)
      .catch(() => undefined);  // a fast machine may finish before the first look
  });

  await step("refactor-preview", async () => {
    await page.locator(".bulk-edit-panel, .refactor-preview").first().waitFor({ state: "visible", timeout: WAIT * 2 });
    await waitFor("the translated file in the refactor preview", async () =>
      (await visibleText(".bulk-edit-panel")).includes(config.translated));
  });

  await step("accepted", async () => {
    // Changes that need confirmation start unticked in VS Code's preview: tick the file, then Apply.
    const boxes = page.locator(".bulk-edit-panel input.edit-checkbox");
    await boxes.first().check();
    for (let i = 0; i < await boxes.count(); i++) {
      await boxes.nth(i).check();
    }
    await page.locator(".bulk-edit-panel .monaco-button", { hasText: "Apply" }).first().click();
    const translated = path.join(ws, config.translated);
    await waitFor(`${translated} on disk`, async () => fs.existsSync(translated) && fs.statSync(translated).size > 0);
    await waitFor("the status bar progress to finish", async () => !/transverify: translate/.test(await statusBar()));
    await askTest("verifies", translated);
  });

  await step("verified-lens", async () => {
    await openFromExplorer(config.translated);
    await waitFor("a code lens saying the translation is verified", async () =>
      /verified against/.test(await visibleText(".monaco-editor .codelens-decoration")));
  });

  await step("mismatch", async () => {
    const translated = path.join(ws, config.translated);
    const line = lineOf(translated, config.breakFrom);
    await goToLine(line);
    await page.keyboard.press("End");
    await page.keyboard.press("Shift+Home");
    const text = fs.readFileSync(translated, "utf8").split("\n")[line - 1].trim();
    await page.keyboard.type(text.replace(config.breakFrom, config.breakTo));
    await page.keyboard.press("Control+S");
    await waitFor(`the broken ${config.translated} saved`, async () => fs.readFileSync(translated, "utf8").includes(config.breakTo));
    await page.keyboard.press("Control+Shift+M");
    await waitFor("a mismatch diagnostic in the Problems panel", async () =>
      /not equivalent|differ|mismatch/i.test(await visibleText(".markers-panel .monaco-list-row")));
  });

  await step("reverify-quickfix", async () => {
    await page.locator(".monaco-editor .view-lines").first().click();
    // Mismatches sit on the translated function's first line.
    await goToLine(lineOf(path.join(ws, config.translated), config.translatedFunction));
    await codeActionMenu("Re-verify");
  });

  await step("cuda-kernel", async () => {
    await page.keyboard.press("Escape");
    await quickOpen(config.cuda);
    await goToLine(lineOf(path.join(ws, config.cuda), "__global__") + 1);
    await codeActionMenu("Translate to CPU (OpenMP) and verify");
  });

  await step("large-file", async () => {
    await page.keyboard.press("Escape");
    // Opening a 5,000-line file with the cursor inside a routine, until its actions are listed.
    const openedAt = await quickOpen(`${config.large}:${config.largeLine}`);
    await codeActionMenu("Translate to C++ and verify");
    measured.open_to_actions_ms = Date.now() - openedAt;
    // Then Ctrl+. alone, the server being up and holding the parsed file: median of 5.
    // A press the editor answers with "No code actions available" (a request it cancelled on a
    // busy machine) is counted as a retry and pressed again; its time is not a latency.
    const times = [];
    let retries = 0;
    const row = page.locator(".action-widget .monaco-list-row", { hasText: "Translate to C++ and verify" }).first();
    while (times.length < 5) {
      await page.keyboard.press("Escape");
      await page.locator(".action-widget").first().waitFor({ state: "hidden", timeout: WAIT }).catch(() => undefined);
      const pressedAt = Date.now();
      await page.keyboard.press("Control+.");
      try {
        await row.waitFor({ state: "visible", timeout: 10000 });
        times.push(Date.now() - pressedAt);
      } catch (error) {
        retries += 1;
        if (retries > 5) {
          throw error;
        }
      }
    }
    times.sort((x, y) => x - y);
    measured.ctrl_dot_to_actions_ms = { median: times[2], all: times, retries };
  });
}

await main();
process.exit();  // the stdin reader would keep Node alive
