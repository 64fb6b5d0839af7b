#!/usr/bin/env node
// `sf-connect-flows`, the flow migration command (lib/flows/cli.ts). In a checkout it runs the
// TypeScript source through ts-node, so it needs no build; an installed package has only the
// compiled dist/.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
let cli;
if (fs.existsSync(path.join(root, 'lib', 'flows', 'cli.ts'))) {
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  cli = require(path.join(root, 'lib', 'flows', 'cli.ts'));
} else {
  cli = require(path.join(root, 'dist', 'lib', 'flows', 'cli.js'));
}
process.exitCode = cli.main(process.argv.slice(2));
