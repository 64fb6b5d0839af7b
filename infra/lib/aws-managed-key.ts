import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export interface AwsManagedKeyArnProps {
  /**
   * The execution role of the function that makes the call: CDK makes one
   * such function for every AwsCustomResource of a stack, with the first role
   * given. This role is then given the one DescribeKey statement.
   * @default a role with the AWS managed policy AWSLambdaBasicExecutionRole
   */
  readonly role?: iam.IRole;
  /** That function's log group. @default one Lambda creates, kept forever */
  readonly logGroup?: logs.ILogGroup;
}

/**
 * Resolves the ARN of an AWS managed KMS key (`alias/aws/ssm`,
 * `alias/aws/secretsmanager`) at deploy time.
 *
 * IAM authorises kms:Decrypt against the key's ARN, never its alias, and
 * CloudFormation has no intrinsic that turns an alias into a key ARN; a
 * context lookup would need AWS credentials at synth time. A one-call
 * custom resource (kms:DescribeKey, which also creates the AWS managed key
 * if the account has never used it) keeps `cdk synth` offline and lets the
 * functions' policies name the one key.
 */
export class AwsManagedKeyArn extends Construct {
  /** The key's ARN (a deploy-time token). */
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, aliasName: string, props: AwsManagedKeyArnProps = {}) {
    super(scope, id);
    if (!/^alias\/aws\/[a-z0-9-]+$/.test(aliasName)) {
      throw new Error(`AwsManagedKeyArn takes an AWS managed alias such as alias/aws/ssm, not ${aliasName}`);
    }
    const stack = Stack.of(this);
    const describeKey: cr.AwsSdkCall = {
      service: 'KMS',
      action: 'DescribeKey',
      parameters: { KeyId: aliasName },
      physicalResourceId: cr.PhysicalResourceId.of(`${aliasName}@${stack.region}`),
      outputPaths: ['KeyMetadata.Arn'],
    };
    const lookup = new cr.AwsCustomResource(this, 'DescribeKey', {
      resourceType: 'Custom::AwsManagedKeyArn',
      onCreate: describeKey,
      onUpdate: describeKey,
      installLatestAwsSdk: false,
      role: props.role,
      logGroup: props.logGroup,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        // DescribeKey is authorised on the key, whose id is what we are
        // looking for: scope it by the alias named in the request instead.
        new iam.PolicyStatement({
          sid: 'DescribeKeyBehindAlias',
          actions: ['kms:DescribeKey'],
          resources: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
          conditions: { StringEquals: { 'kms:RequestAlias': aliasName } },
        }),
      ]),
    });
    this.keyArn = lookup.getResponseField('KeyMetadata.Arn');
  }
}
