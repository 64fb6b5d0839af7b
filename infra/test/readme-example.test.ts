import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import { INFRA_DIR } from './helpers';

/** The first ```ts block after the heading `## <heading>` in infra/README.md. */
function exampleAfter(heading: string): string {
  const readme = fs.readFileSync(path.join(INFRA_DIR, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README.md has no section ${heading}`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(start));
  assert.ok(block, `no ts example in ${heading}`);
  return block[1];
}

describe('the README', () => {
  it('has an embedding example that compiles against the package', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-connect-readme-'));
    try {
      const file = path.join(dir, 'contact-centre-stack.ts');
      fs.writeFileSync(file, exampleAfter('Embedding the construct in your own stack'));
      const modules = path.join(INFRA_DIR, 'node_modules');
      const program = ts.createProgram([file], {
        strict: true,
        noEmit: true,
        noUnusedLocals: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        esModuleInterop: true,
        resolveJsonModule: true,
        skipLibCheck: true,
        types: [],
        typeRoots: [path.join(modules, '@types')],
        // As installed: the package by its name, and the app's own aws-cdk-lib and constructs.
        baseUrl: dir,
        paths: {
          'sf-connect-infra': [path.join(INFRA_DIR, 'lib', 'index.ts')],
          'aws-cdk-lib': [path.join(modules, 'aws-cdk-lib')],
          'aws-cdk-lib/*': [path.join(modules, 'aws-cdk-lib', '*')],
          constructs: [path.join(modules, 'constructs')],
        },
      });
      const problems = ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file?.fileName === file || d.file === undefined)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      assert.deepEqual(problems, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
