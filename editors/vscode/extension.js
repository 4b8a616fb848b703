// The orgspec extension: starts `orgspec lsp` for .org specs. Everything else (findings,
// go to definition, hover, completion, rename, outline, formatting, quick fixes) comes from
// the language server.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("orgspec").get("path") || "orgspec";
  const serverOptions = {
    run: { command, args: ["lsp"], transport: TransportKind.stdio },
    debug: { command, args: ["lsp"], transport: TransportKind.stdio },
  };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "orgspec" }],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.org,orgspec.toml}"),
    },
  };
  client = new LanguageClient("orgspec", "orgspec", serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `orgspec: could not start \`${command} lsp\` (${error.message}). ` +
        "Install orgspec (`cargo install --path .` in its repository) or set `orgspec.path`."
    );
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
