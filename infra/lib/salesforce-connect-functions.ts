import { Arn, ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bootstrapDir, defaultAssetDir } from './assets';
import { addContactFlows } from './flows/contact-flow-resources';
import { SalesforceFunction, SalesforceFunctionName, selectFunctions } from './function-catalog';
import { credentialsParameterName, functionEnvironment } from './function-environment';
import { SalesforceMonitoring } from './monitoring';
import { credentialsStatements, tokenCacheStatements, tracingStatement, vpcStatements, writeLogsStatement } from './permissions';
import {
  DEFAULT_ALIAS_NAME,
  DEFAULT_LOG_LEVEL,
  DEFAULT_LOG_RETENTION,
  DEFAULT_MEMORY_SIZE,
  DEFAULT_TIMEOUT,
  SalesforceConnectFunctionsProps,
} from './props';
import { validateConnectInstanceEnvironment, validateProps } from './validation';

/**
 * The Salesforce functions for Amazon Connect, one per entry of
 * `functions.json`, each allowed to read the one credentials parameter (or
 * secret) and nothing else.
 */
export class SalesforceConnectFunctions extends Construct {
  /** Every function deployed (see the `functions` prop), by package name. */
  public readonly functions: Readonly<Record<SalesforceFunctionName, lambda.Function>>;

  /**
   * Every function's alias (`live` unless `aliasName` says otherwise), by
   * package name: what Connect, the flows and the stack outputs call.
   */
  public readonly aliases: Readonly<Record<SalesforceFunctionName, lambda.Alias>>;

  /** The flows and flow modules created from `flows`, by name. */
  public readonly flows: Readonly<Record<string, connect.CfnContactFlow | connect.CfnContactFlowModule>> = {};

  /** The alarms and the dashboard. */
  public readonly monitoring: SalesforceMonitoring;

  /** The value of `SF_CREDENTIALS_PARAMETER`. */
  public readonly credentialsParameterName: string;

  private readonly props: SalesforceConnectFunctionsProps;
  private readonly statements: iam.PolicyStatement[];

  constructor(scope: Construct, id: string, props: SalesforceConnectFunctionsProps) {
    super(scope, id);
    validateProps(props);
    validateConnectInstanceEnvironment(Stack.of(this), props.connectInstanceArn);
    this.props = props;
    this.credentialsParameterName = credentialsParameterName(props);
    this.statements = [
      ...credentialsStatements(this, props),
      ...(props.tokenCacheParameterName !== undefined ? tokenCacheStatements(this, props) : []),
    ];

    const assetDir = props.assetDir ?? defaultAssetDir();
    const environment = functionEnvironment(props);
    const functions: Record<SalesforceFunctionName, lambda.Function> = {};
    const aliases: Record<SalesforceFunctionName, lambda.Alias> = {};
    const associations: connect.CfnIntegrationAssociation[] = [];
    for (const spec of selectFunctions(props.functions)) {
      const fn = this.addFunction(spec, assetDir, environment);
      const alias = this.addAlias(spec, fn);
      if (props.connectInstanceArn !== undefined) {
        associations.push(this.connectTo(props.connectInstanceArn, spec, alias));
      }
      functions[spec.name] = fn;
      aliases[spec.name] = alias;
    }
    this.functions = functions;
    this.aliases = aliases;
    if (props.flows !== undefined && props.connectInstanceArn !== undefined) {
      const arns = new Map(Object.entries(aliases).map(([name, alias]) => [name, alias.functionArn]));
      // Connect accepts a flow's Lambda blocks once their functions are associated with the instance.
      this.flows = addContactFlows(this, props.connectInstanceArn, props.flows, arns, associations);
    }

    this.monitoring = new SalesforceMonitoring(this, 'Monitoring', {
      functions: Object.entries(functions).map(([name, fn]) => ({ name, function: fn, timeout: fn.timeout! })),
      namespace: props.metricsNamespace,
      alarms: props.alarms,
      alarmAction: props.alarmAction,
      dashboard: props.dashboard,
      dashboardName: props.dashboardName,
    });
  }

  private addFunction(spec: SalesforceFunction, assetDir: string, environment: Record<string, string>): lambda.Function {
    const props = this.props;
    const options = props.functionOptions?.[spec.name] ?? {};
    const architecture = props.architecture ?? lambda.Architecture.ARM_64;
    const logLevel = props.logLevel ?? DEFAULT_LOG_LEVEL;
    const tracing = options.tracing ?? props.tracing ?? lambda.Tracing.DISABLED;
    const traced = tracing !== lambda.Tracing.DISABLED;
    const logGroup = new logs.LogGroup(this, `${spec.id}Logs`, {
      retention: props.logRetention ?? DEFAULT_LOG_RETENTION,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    const fn = new lambda.Function(this, spec.id, {
      description: spec.description,
      ...options.lambdaOptions,
      functionName: props.functionNamePrefix !== undefined ? `${props.functionNamePrefix}${spec.name}` : undefined,
      runtime: lambda.Runtime.PROVIDED_AL2023,
      handler: 'bootstrap',
      code: lambda.Code.fromAsset(bootstrapDir(assetDir, spec.name, architecture)),
      architecture,
      memorySize: options.memorySize ?? props.memorySize ?? DEFAULT_MEMORY_SIZE,
      timeout: options.timeout ?? props.timeout ?? DEFAULT_TIMEOUT,
      reservedConcurrentExecutions: options.reservedConcurrentExecutions,
      role: this.executionRole(spec, logGroup, traced),
      environment: { ...options.environment, ...environment },
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel[logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      securityGroups: props.vpc ? props.securityGroups : undefined,
      // Kept when a deploy publishes the next one, so the alias can be moved back to it.
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
    });
    // Set on the resource rather than through the `tracing` option, which
    // would add X-Ray's statement itself; executionRole adds it, saying why.
    if (traced) {
      (fn.node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: tracing };
    }
    if (props.vpc) {
      const subnetIds = props.vpc.selectSubnets(props.vpcSubnets).subnetIds;
      const securityGroupIds = fn.connections.securityGroups.map((sg) => sg.securityGroupId);
      for (const statement of vpcStatements(this, subnetIds, securityGroupIds)) {
        fn.role!.addToPrincipalPolicy(statement);
      }
    }
    return fn;
  }

  /**
   * The function's version as this deploy leaves it (`currentVersion`: a new
   * one whenever code or configuration change), and the alias pointing at it.
   */
  private addAlias(spec: SalesforceFunction, fn: lambda.Function): lambda.Alias {
    return new lambda.Alias(this, `${spec.id}Alias`, {
      aliasName: this.props.aliasName ?? DEFAULT_ALIAS_NAME,
      version: fn.currentVersion,
      provisionedConcurrentExecutions: this.props.functionOptions?.[spec.name]?.provisionedConcurrentExecutions,
    });
  }

  /**
   * One role per function, built here rather than by lambda.Function, so that
   * it carries no AWS managed policy with `*` resources: it may write to its
   * own log group and read the credentials, nothing more (and send traces,
   * when tracing is on). addFunction adds the VPC's statements, which name the
   * function's security groups.
   */
  private executionRole(spec: SalesforceFunction, logGroup: logs.ILogGroup, traced: boolean): iam.Role {
    const role = new iam.Role(this, `${spec.id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${spec.name}`,
    });
    for (const statement of [writeLogsStatement(logGroup), ...this.statements, ...(traced ? [tracingStatement()] : [])]) {
      role.addToPrincipalPolicy(statement);
    }
    return role;
  }

  /** Lists the alias in the instance's flow designer and lets that instance, in its account, invoke it. */
  private connectTo(instanceArn: string, spec: SalesforceFunction, alias: lambda.Alias): connect.CfnIntegrationAssociation {
    alias.addPermission('ConnectInvoke', {
      principal: new iam.ServicePrincipal('connect.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: instanceArn,
      sourceAccount: Arn.split(instanceArn, ArnFormat.SLASH_RESOURCE_NAME).account,
    });
    return new connect.CfnIntegrationAssociation(this, `${spec.id}ConnectAssociation`, {
      instanceId: instanceArn,
      integrationType: 'LAMBDA_FUNCTION',
      integrationArn: alias.functionArn,
    });
  }
}
