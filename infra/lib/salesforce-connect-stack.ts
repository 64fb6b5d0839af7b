import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { arnOutputKey } from './function-catalog';
import { SalesforceLogLevel } from './props';
import { SalesforceConnectFunctions } from './salesforce-connect-functions';
import { exactlyOne, onlyWith } from './validation';

/**
 * Plain-value settings of the standalone stack: what `cdk -c key=value`
 * (or a pipeline's configuration) can express. The stack turns them into the
 * construct's typed props.
 */
export interface SalesforceConnectStackProps extends StackProps {
  /** SSM SecureString parameter with the credentials JSON. Give this or `secretId`. */
  readonly credentialsParameterName?: string;
  /** Name or ARN of a Secrets Manager secret with the credentials JSON. */
  readonly secretId?: string;
  /** ARN of the customer managed KMS key that encrypts the credentials. @default the AWS managed key */
  readonly kmsKeyArn?: string;
  readonly loginUrl?: string;
  /** The JWT assertion's `aud` (see the construct's prop). @default from loginUrl */
  readonly jwtAudience?: string;
  readonly apiVersion?: string;
  readonly username?: string;
  /** SSM parameter for the shared access-token cache (see the construct's prop). @default no cache */
  readonly tokenCacheParameterName?: string;
  /** @default 'arm64' */
  readonly architecture?: 'arm64' | 'x86_64';
  readonly memorySize?: number;
  readonly timeoutSeconds?: number;
  readonly logRetentionDays?: number;
  readonly logLevel?: SalesforceLogLevel;
  /** Delete the log groups with the stack. @default false (they are kept) */
  readonly destroyLogs?: boolean;
  /** Run the functions in this VPC, in `subnetIds`. */
  readonly vpcId?: string;
  readonly subnetIds?: string[];
  readonly securityGroupIds?: string[];
  readonly connectInstanceArn?: string;
  readonly functionNamePrefix?: string;
  /** The functions to deploy, by name or operation (see the construct's prop). @default all */
  readonly functions?: string[];
  /** CloudWatch namespace of sf-core's metrics. @default SalesforceConnect */
  readonly metricsNamespace?: string;
  /** ARN of an SNS topic every alarm notifies when it fires and clears. @default no action */
  readonly alarmTopicArn?: string;
  /** Create the CloudWatch dashboard. @default false */
  readonly dashboard?: boolean;
  /** Flow files to create in the Connect instance (see the construct's `flows`). @default none */
  readonly flowFiles?: string[];
  /** The alias the flows call. @default live */
  readonly aliasName?: string;
  readonly assetDir?: string;
}

/** A stack holding the functions of the catalogue, with each one's alias ARN as an output. */
export class SalesforceConnectStack extends Stack {
  public readonly functions: SalesforceConnectFunctions;

  constructor(scope: Construct, id: string, props: SalesforceConnectStackProps) {
    super(scope, id, props);

    // The construct's own checks, but naming this stack's props.
    exactlyOne({ credentialsParameterName: props.credentialsParameterName, secretId: props.secretId });
    onlyWith(['vpcId', props.vpcId], { subnetIds: props.subnetIds, securityGroupIds: props.securityGroupIds });
    const credentialsSecret = props.secretId !== undefined ? importSecret(this, props.secretId) : undefined;
    const credentialsKey = props.kmsKeyArn !== undefined ? importKey(this, props.kmsKeyArn) : undefined;

    let vpc: ec2.IVpc | undefined;
    let vpcSubnets: ec2.SubnetSelection | undefined;
    let securityGroups: ec2.ISecurityGroup[] | undefined;
    if (props.vpcId !== undefined) {
      if (!props.subnetIds || props.subnetIds.length === 0) {
        throw new Error('vpcId needs subnetIds (the subnets the functions run in; looking them up would need AWS credentials at synth)');
      }
      // Imported from plain ids, so synth needs no lookup and no credentials.
      // The subnets are named explicitly, so the zones are never consulted.
      vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: props.vpcId, availabilityZones: Fn.getAzs() });
      vpcSubnets = { subnets: props.subnetIds.map((subnetId, i) => ec2.Subnet.fromSubnetId(this, `Subnet${i}`, subnetId)) };
      securityGroups = props.securityGroupIds?.map((sg, i) => ec2.SecurityGroup.fromSecurityGroupId(this, `SecurityGroup${i}`, sg));
    }

    this.functions = new SalesforceConnectFunctions(this, 'Functions', {
      credentialsParameterName: props.credentialsParameterName,
      credentialsSecret,
      credentialsKey,
      loginUrl: props.loginUrl,
      jwtAudience: props.jwtAudience,
      apiVersion: props.apiVersion,
      username: props.username,
      tokenCacheParameterName: props.tokenCacheParameterName,
      architecture: props.architecture === 'x86_64' ? lambda.Architecture.X86_64 : lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeoutSeconds !== undefined ? Duration.seconds(props.timeoutSeconds) : undefined,
      logRetention: props.logRetentionDays !== undefined ? retentionDays(props.logRetentionDays) : undefined,
      logRemovalPolicy: props.destroyLogs ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      logLevel: props.logLevel,
      vpc,
      vpcSubnets,
      securityGroups,
      connectInstanceArn: props.connectInstanceArn,
      functionNamePrefix: props.functionNamePrefix,
      aliasName: props.aliasName,
      functions: props.functions,
      metricsNamespace: props.metricsNamespace,
      alarmAction: props.alarmTopicArn !== undefined ? sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn) : undefined,
      dashboard: props.dashboard,
      flows: props.flowFiles?.map((file) => ({ file })),
      assetDir: props.assetDir,
    });

    for (const [name, alias] of Object.entries(this.functions.aliases)) {
      new CfnOutput(this, arnOutputKey(name), {
        description: `ARN of ${name}'s alias, which flows call`,
        value: alias.functionArn,
      });
    }
    new CfnOutput(this, 'CredentialsParameter', {
      description: 'SF_CREDENTIALS_PARAMETER of every function',
      value: this.functions.credentialsParameterName,
    });
  }
}

function importSecret(scope: Construct, secretId: string): secretsmanager.ISecret {
  if (!secretId.startsWith('arn:')) {
    return secretsmanager.Secret.fromSecretNameV2(scope, 'CredentialsSecret', secretId);
  }
  // A complete ARN ends in the six characters Secrets Manager appends to the name.
  return /-[A-Za-z0-9]{6}$/.test(secretId)
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, 'CredentialsSecret', secretId)
    : secretsmanager.Secret.fromSecretPartialArn(scope, 'CredentialsSecret', secretId);
}

function importKey(scope: Construct, keyArn: string): kms.IKey {
  if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(keyArn)) {
    throw new Error(`kmsKeyArn must be a key ARN (arn:aws:kms:<region>:<account>:key/<key-id>), not an alias or id: ${keyArn}`);
  }
  return kms.Key.fromKeyArn(scope, 'CredentialsKey', keyArn);
}

function retentionDays(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!allowed.includes(days)) {
    throw new Error(`logRetentionDays must be one of ${allowed.join(', ')}; got ${days}`);
  }
  return days as logs.RetentionDays;
}
