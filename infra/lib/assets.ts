import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

// The prebuilt binaries the functions run, as `cargo lambda build` writes them.

/**
 * `<assetDir>/<name>`, checked to hold a `bootstrap` built for the chosen
 * architecture, so a missing or mismatched build fails at synth rather than
 * at the first call from a contact flow.
 */
export function bootstrapDir(assetDir: string, name: string, architecture: lambda.Architecture): string {
  const dir = path.join(assetDir, name);
  const bootstrap = path.join(dir, 'bootstrap');
  if (!fs.existsSync(bootstrap)) {
    throw new Error(
      `${bootstrap} not found: run \`make build-lambdas\` first (cargo lambda build --release${architecture === lambda.Architecture.ARM_64 ? ' --arm64' : ''})`,
    );
  }
  const machine = elfMachine(bootstrap);
  const expected = architecture === lambda.Architecture.ARM_64 ? 'arm64' : 'x86_64';
  if (machine !== undefined && machine !== expected) {
    throw new Error(
      `${bootstrap} is built for ${machine} but the functions are ${expected}: rebuild with \`make build-lambdas\` or set the architecture to ${machine}`,
    );
  }
  return dir;
}

/** The architecture an ELF executable was built for; undefined for anything else. */
function elfMachine(file: string): 'arm64' | 'x86_64' | 'other' | undefined {
  const header = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try {
    if (fs.readSync(fd, header, 0, header.length, 0) < header.length) {
      return undefined;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (header.readUInt32BE(0) !== 0x7f454c46) {
    return undefined;
  }
  const machine = header[5] === 2 ? header.readUInt16BE(18) : header.readUInt16LE(18);
  if (machine === 0xb7) return 'arm64';
  if (machine === 0x3e) return 'x86_64';
  return 'other';
}

/** `target/lambda` at the repository root: the nearest ancestor of this file with a Cargo.toml. */
export function defaultAssetDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'Cargo.toml'))) {
      return path.join(dir, 'target', 'lambda');
    }
    if (path.dirname(dir) === dir) {
      throw new Error('no Cargo.toml above the infra package: pass assetDir (the directory cargo lambda build wrote)');
    }
  }
}
