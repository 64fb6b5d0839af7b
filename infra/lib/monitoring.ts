import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DEFAULT_METRICS_NAMESPACE } from './function-environment';
import { SalesforceAlarmsProps } from './props';

// Alarms and a dashboard over the functions: Lambda's own metrics (AWS/Lambda)
// and the ones sf-core writes with every invocation as an Embedded Metric
// Format log line (see "Operating" in the README for their names).

export const DEFAULT_ERROR_RATE_THRESHOLD_PERCENT = 5;
export const DEFAULT_DURATION_THRESHOLD_PERCENT = 80;
export const DEFAULT_API_USAGE_THRESHOLD_PERCENT = 80;

/** The values of sf-core's `Outcome` dimension. */
export const OUTCOMES = ['Ok', 'InvalidParameter', 'SalesforceError', 'Timeout', 'AuthFailure', 'AnswerTooLarge', 'Unexpected'] as const;

/** Alarms and the dashboard look at 5-minute periods. */
const PERIOD = Duration.minutes(5);

/** One function to watch. */
export interface MonitoredFunction {
  /** Its package name, which sf-core writes as the `Function` dimension: `sf-lookup`. */
  readonly name: string;
  readonly function: lambda.IFunction;
  readonly timeout: Duration;
}

export interface SalesforceMonitoringProps {
  readonly functions: readonly MonitoredFunction[];
  /** @default SalesforceConnect */
  readonly namespace?: string;
  /** @default every alarm, with the default thresholds */
  readonly alarms?: SalesforceAlarmsProps;
  /** What an alarm does when it fires and when it clears. @default nothing: the alarms only show in the console */
  readonly alarmAction?: cloudwatch.IAlarmAction | sns.ITopic;
  /** @default no dashboard */
  readonly dashboard?: boolean;
  /** @default a name CloudFormation generates */
  readonly dashboardName?: string;
}

/** The alarms (each switchable) and the optional dashboard. */
export class SalesforceMonitoring extends Construct {
  /** The alarms that act: per function, and the org's API usage. */
  public readonly alarms: cloudwatch.IAlarm[] = [];
  public readonly dashboard?: cloudwatch.Dashboard;

  private readonly namespace: string;
  private readonly action?: cloudwatch.IAlarmAction;

  constructor(scope: Construct, id: string, props: SalesforceMonitoringProps) {
    super(scope, id);
    this.namespace = props.namespace ?? DEFAULT_METRICS_NAMESPACE;
    this.action = props.alarmAction !== undefined ? alarmAction(props.alarmAction) : undefined;
    const alarms = props.alarms ?? {};

    for (const f of props.functions) {
      const fid = f.function.node.id;
      if (alarms.errorRate ?? true) {
        const threshold = alarms.errorRateThresholdPercent ?? DEFAULT_ERROR_RATE_THRESHOLD_PERCENT;
        this.addAlarm(`${fid}ErrorRate`, {
          metric: errorRate(f.function),
          threshold,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          alarmDescription:
            `${f.name}: more than ${threshold}% of calls failed (Lambda's Errors / Invocations) in 2 of 3 periods of 5 minutes. ` +
            'The flows take their Error branch. See the errors by outcome on the dashboard and the function\'s log group.',
        });
      }
      if (alarms.duration ?? true) {
        const percent = alarms.durationThresholdPercent ?? DEFAULT_DURATION_THRESHOLD_PERCENT;
        this.addAlarm(`${fid}Duration`, {
          metric: f.function.metricDuration({ statistic: 'p99', period: PERIOD }),
          threshold: (f.timeout.toMilliseconds() * percent) / 100,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          alarmDescription:
            `${f.name}: the slowest 1% of calls took ${percent}% of the ${f.timeout.toSeconds()} s timeout or more, in 2 of 3 periods of 5 minutes. ` +
            'Calls are about to time out. Compare SalesforceTime on the dashboard: Salesforce slow, or cold starts and retries.',
        });
      }
      if (alarms.throttles ?? true) {
        this.addAlarm(`${fid}Throttles`, {
          metric: f.function.metricThrottles({ statistic: 'Sum', period: PERIOD }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          alarmDescription:
            `${f.name}: Lambda refused calls for lack of concurrency. Those calls took the flow's Error branch. ` +
            'Raise its reserved concurrency or the account\'s concurrency quota.',
        });
      }
    }
    const apiThreshold = alarms.apiUsageThresholdPercent ?? DEFAULT_API_USAGE_THRESHOLD_PERCENT;
    if (alarms.apiUsage ?? true) {
      this.addApiUsageAlarm(props.functions, apiThreshold);
    }
    if (props.dashboard) {
      this.dashboard = this.addDashboard(props.functions, props.dashboardName, apiThreshold);
    }
  }

  /** sf-core's metric `name` for one function (dimension `Function`), and optionally one `Outcome`. */
  public metric(name: string, functionName: string, options: cloudwatch.MetricOptions & { outcome?: string } = {}): cloudwatch.Metric {
    const { outcome, ...rest } = options;
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName: name,
      dimensionsMap: { Function: functionName, ...(outcome !== undefined ? { Outcome: outcome } : {}) },
      period: PERIOD,
      ...rest,
    });
  }

  /** The org's API usage in percent as one function last saw it (`ApiUsed` / `ApiLimit`). */
  private apiUsagePercent(functionName: string): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: '100 * used / limit',
      usingMetrics: {
        used: this.metric('ApiUsed', functionName, { statistic: 'Maximum' }),
        limit: this.metric('ApiLimit', functionName, { statistic: 'Maximum' }),
      },
      label: `API usage seen by ${functionName} (%)`,
      period: PERIOD,
    });
  }

  /**
   * The org's API usage is one number, but sf-core reports it per function.
   * An alarm on a math expression may read at most 10 metrics, so each
   * function gets an alarm of its own (without actions) and one composite
   * alarm, which acts, fires when any of them does.
   */
  private addApiUsageAlarm(functions: readonly MonitoredFunction[], threshold: number): void {
    const perFunction = functions.map(
      (f) =>
        new cloudwatch.Alarm(this, `${f.function.node.id}ApiUsage`, {
          metric: this.apiUsagePercent(f.name),
          threshold,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          alarmDescription: `The org's API usage seen by ${f.name} reached ${threshold}% of its daily allowance (part of the API usage alarm).`,
        }),
    );
    const composite = new cloudwatch.CompositeAlarm(this, 'ApiUsage', {
      alarmRule: cloudwatch.AlarmRule.anyOf(...perFunction),
      alarmDescription:
        `The Salesforce org has used ${threshold}% or more of its daily API allowance (Sforce-Limit-Info). ` +
        'Once it is spent Salesforce refuses every call and every flow takes its Error branch. ' +
        'Find what else uses the org\'s API (Setup, System Overview), or ask Salesforce for a larger allowance.',
    });
    this.withActions(composite);
  }

  private addAlarm(id: string, props: cloudwatch.AlarmProps): void {
    this.withActions(new cloudwatch.Alarm(this, id, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...props }));
  }

  private withActions(alarm: cloudwatch.Alarm | cloudwatch.CompositeAlarm): void {
    if (this.action !== undefined) {
      alarm.addAlarmAction(this.action);
      alarm.addOkAction(this.action);
    }
    this.alarms.push(alarm);
  }

  /** A row per function, then the org's API usage. */
  private addDashboard(functions: readonly MonitoredFunction[], dashboardName: string | undefined, apiThreshold: number): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName });
    for (const f of functions) {
      const fn = f.function;
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: `${f.name}: invocations`,
          width: 6,
          left: [
            fn.metricInvocations({ statistic: 'Sum', period: PERIOD }),
            fn.metricErrors({ statistic: 'Sum', period: PERIOD }),
            fn.metricThrottles({ statistic: 'Sum', period: PERIOD }),
          ],
        }),
        new cloudwatch.GraphWidget({
          title: `${f.name}: calls by outcome`,
          width: 6,
          stacked: true,
          left: OUTCOMES.map((outcome) => this.metric('Invocations', f.name, { outcome, statistic: 'Sum', label: outcome })),
        }),
        new cloudwatch.GraphWidget({
          title: `${f.name}: duration (ms)`,
          width: 6,
          left: ['p50', 'p99'].map((statistic) => fn.metricDuration({ statistic, period: PERIOD, label: statistic })),
          leftAnnotations: [{ value: f.timeout.toMilliseconds(), label: 'timeout' }],
        }),
        new cloudwatch.GraphWidget({
          title: `${f.name}: waiting on Salesforce (ms)`,
          width: 6,
          left: ['p50', 'p99'].map((statistic) => this.metric('SalesforceTime', f.name, { statistic, label: statistic })),
        }),
      );
    }
    // The org's numbers, as whichever function saw them last: the highest of all.
    const acrossFunctions = (name: string, id: string, label: string) =>
      new cloudwatch.MathExpression({
        expression: `MAX([${functions.map((_, i) => `${id}${i}`).join(', ')}])`,
        usingMetrics: Object.fromEntries(functions.map((f, i) => [`${id}${i}`, this.metric(name, f.name, { statistic: 'Maximum' })])),
        label,
        period: PERIOD,
      });
    const used = acrossFunctions('ApiUsed', 'used', 'used');
    const limit = acrossFunctions('ApiLimit', 'limit', 'allowed');
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Salesforce org: API usage (% of the daily allowance)',
        width: 12,
        left: [new cloudwatch.MathExpression({ expression: '100 * used / limit', usingMetrics: { used, limit }, label: 'API usage (%)', period: PERIOD })],
        leftYAxis: { min: 0, max: 100 },
        leftAnnotations: [{ value: apiThreshold, label: 'alarm' }],
      }),
      new cloudwatch.GraphWidget({ title: 'Salesforce org: API calls used and allowed today', width: 12, left: [used, limit] }),
    );
    return dashboard;
  }
}

/** Lambda's Errors / Invocations, in percent. */
function errorRate(fn: lambda.IFunction): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: '100 * errors / invocations',
    usingMetrics: {
      errors: fn.metricErrors({ statistic: 'Sum', period: PERIOD }),
      invocations: fn.metricInvocations({ statistic: 'Sum', period: PERIOD }),
    },
    label: 'error rate (%)',
    period: PERIOD,
  });
}

function alarmAction(action: cloudwatch.IAlarmAction | sns.ITopic): cloudwatch.IAlarmAction {
  return 'topicArn' in action ? new cloudwatchActions.SnsAction(action) : action;
}
