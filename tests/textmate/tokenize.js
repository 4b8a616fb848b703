// Tokenize standard input with a TextMate grammar, as VS Code does (vscode-textmate on the
// Oniguruma regex engine), and print one JSON line per token: {"line", "text", "scopes"}.
// Usage: node tokenize.js GRAMMAR.json < file.org   (driven by tests/textmate.rs)
"use strict";
const fs = require("fs");
const path = require("path");
const oniguruma = require("vscode-oniguruma");
const textmate = require("vscode-textmate");

async function main() {
  const grammarPath = process.argv[2];
  const wasm = fs.readFileSync(
    path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm")
  );
  await oniguruma.loadWASM(wasm.buffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      textmate.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath),
  });
  const grammar = await registry.loadGrammar("source.orgspec");
  const text = fs.readFileSync(0, "utf8");
  let state = textmate.INITIAL;
  const out = [];
  text.split(/\r?\n/).forEach((line, number) => {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      out.push(
        JSON.stringify({
          line: number + 1,
          text: line.substring(token.startIndex, token.endIndex),
          scopes: token.scopes,
        })
      );
    }
    state = result.ruleStack;
  });
  process.stdout.write(out.join("\n") + "\n");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
