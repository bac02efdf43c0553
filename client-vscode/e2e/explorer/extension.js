// A test controller like the Python extension's, for the end-to-end test: the fixture's tests as items with
// pytest-style ids (`/abs/tests/test_pricing.py::test_name`), and a run that fails the one the fixture gets wrong.
const vscode = require('vscode');

const FILE = 'tests/test_pricing.py';
const FAILING = 'test_discount_starts_at_ten_items';

function activate(context) {
  const folder = vscode.workspace.workspaceFolders[0].uri;
  const file = vscode.Uri.joinPath(folder, FILE);
  const controller = vscode.tests.createTestController('e2e-pytest', 'e2e pytest');
  context.subscriptions.push(controller);
  const fileItem = controller.createTestItem(file.fsPath, 'test_pricing.py', file);
  controller.items.add(fileItem);
  vscode.workspace.openTextDocument(file).then((document) => {
    document.getText().split('\n').forEach((line, number) => {
      const name = /^def (test_\w+)/.exec(line)?.[1];
      if (name) {
        const item = controller.createTestItem(`${file.fsPath}::${name}`, name, file);
        item.range = new vscode.Range(number, 0, number, line.length);
        fileItem.children.add(item);
      }
    });
  });
  controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request) => {
    const run = controller.createTestRun(request);
    fileItem.children.forEach((item) => {
      if (item.label === FAILING) {
        run.failed(item, new vscode.TestMessage('assert 0.0 == 0.1'));
      } else {
        run.passed(item);
      }
    });
    run.end();
  });
}

module.exports = { activate };
