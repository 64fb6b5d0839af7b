#!/usr/bin/env node
// The standalone app: `cdk synth|deploy -c key=value ...` (keys: lib/context-props.ts).
import { App } from 'aws-cdk-lib';
import { SalesforceConnectStack, stackPropsFromContext } from '../lib';

const app = new App();
try {
  const { stackName, props } = stackPropsFromContext(app.node);
  // No `env`: the template is account- and region-agnostic, so synth needs no
  // AWS credentials; `cdk deploy` deploys to the credentials' account and region.
  new SalesforceConnectStack(app, stackName, props);
} catch (e) {
  // A settings or build problem: say what to do, without a stack trace.
  process.stderr.write(`sf-connect: ${(e as Error).message}\n`);
  process.exit(1);
}
app.synth();
