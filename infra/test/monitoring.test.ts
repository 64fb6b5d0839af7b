import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { OUTCOMES, SALESFORCE_FUNCTIONS } from '../lib';
import { flatten, logicalId, salesforceFunctions, synthFunctions } from './helpers';

type Alarm = { Properties: Record<string, any> };
const N = SALESFORCE_FUNCTIONS.length;

function alarms(template: Template): Alarm[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Alarm[];
}

/** The alarms whose metrics include `metricName`, by the function they watch (logical id of the function, or the Function dimension). */
function alarmsOn(template: Template, metricName: string): Map<string, Alarm> {
  const found = new Map<string, Alarm>();
  for (const alarm of alarms(template)) {
    const p = alarm.Properties;
    const stats = p.MetricName !== undefined ? [{ MetricName: p.MetricName, Namespace: p.Namespace, Dimensions: p.Dimensions }] : (p.Metrics ?? []).filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric);
    const stat = stats.find((m: any) => m.MetricName === metricName);
    if (stat === undefined) continue;
    const dimension = stat.Dimensions[0];
    found.set(dimension.Value.Ref ?? dimension.Value, alarm);
  }
  return found;
}


describe('the alarms', () => {
  it('are on by default: error rate, p99 duration and throttles per function, and the org\'s API usage', () => {
    const { template, construct } = synthFunctions();
    const functionIds = Object.keys(salesforceFunctions(template)).sort();

    const errorRate = alarmsOn(template, 'Errors');
    assert.deepEqual([...errorRate.keys()].sort(), functionIds);
    for (const [fnId, { Properties: p }] of errorRate) {
      const expression = p.Metrics.find((m: any) => m.Expression);
      assert.equal(expression.Expression, '100 * errors / invocations');
      assert.equal(expression.ReturnData, true);
      const byId = Object.fromEntries(p.Metrics.filter((m: any) => m.MetricStat).map((m: any) => [m.Id, m.MetricStat]));
      for (const [id, metricName] of [['errors', 'Errors'], ['invocations', 'Invocations']]) {
        assert.deepEqual(byId[id].Metric, { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }] });
        assert.equal(byId[id].Stat, 'Sum');
        assert.equal(byId[id].Period, 300);
      }
      assert.equal(p.Threshold, 5);
      assert.equal(p.ComparisonOperator, 'GreaterThanThreshold');
      assert.equal(p.EvaluationPeriods, 3);
      assert.equal(p.DatapointsToAlarm, 2);
      assert.equal(p.TreatMissingData, 'notBreaching');
      assert.equal(p.AlarmActions, undefined);
    }

    const duration = alarmsOn(template, 'Duration');
    assert.deepEqual([...duration.keys()].sort(), functionIds);
    for (const { Properties: p } of duration.values()) {
      assert.equal(p.Namespace, 'AWS/Lambda');
      assert.equal(p.ExtendedStatistic, 'p99');
      assert.equal(p.Threshold, 5600, '80% of the 7 s timeout, in ms');
      assert.equal(p.ComparisonOperator, 'GreaterThanOrEqualToThreshold');
    }

    const throttles = alarmsOn(template, 'Throttles');
    assert.deepEqual([...throttles.keys()].sort(), functionIds);
    for (const { Properties: p } of throttles.values()) {
      assert.equal(p.Statistic, 'Sum');
      assert.equal(p.Threshold, 1);
      assert.equal(p.ComparisonOperator, 'GreaterThanOrEqualToThreshold');
    }

    // The org's API usage: one alarm per function (a math alarm reads at most 10 metrics), joined by one composite alarm.
    const usage = alarmsOn(template, 'ApiUsed');
    assert.deepEqual([...usage.keys()].sort(), SALESFORCE_FUNCTIONS.map((f) => f.name).sort());
    for (const [name, { Properties: p }] of usage) {
      assert.equal(p.Metrics.find((m: any) => m.Expression).Expression, '100 * used / limit');
      const stats = p.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat);
      assert.deepEqual(stats.map((s: any) => [s.Metric.Namespace, s.Metric.MetricName, s.Metric.Dimensions, s.Stat]).sort(), [
        ['SalesforceConnect', 'ApiLimit', [{ Name: 'Function', Value: name }], 'Maximum'],
        ['SalesforceConnect', 'ApiUsed', [{ Name: 'Function', Value: name }], 'Maximum'],
      ]);
      assert.equal(p.Threshold, 80);
      assert.equal(p.AlarmActions, undefined, 'the composite alarm acts');
    }
    const [composite] = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    const rule = flatten(composite.Properties.AlarmRule);
    assert.equal(rule.match(/ALARM\(/g)?.length, N);
    assert.match(composite.Properties.AlarmDescription, /80% or more of its daily API allowance/);

    assert.equal(alarms(template).length, 4 * N);
    assert.equal(construct.monitoring.alarms.length, 3 * N + 1);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    assert.equal(construct.monitoring.dashboard, undefined);
  });

  it('follow a function\'s own timeout and the thresholds given', () => {
    const { template, construct } = synthFunctions({
      functionOptions: { 'sf-search': { timeout: Duration.seconds(8) } },
      alarms: { errorRateThresholdPercent: 2, durationThresholdPercent: 90, apiUsageThresholdPercent: 70 },
    });
    const duration = alarmsOn(template, 'Duration');
    const search = logicalId(construct.functions['sf-search']);
    assert.equal(duration.get(search)!.Properties.Threshold, 7200);
    assert.equal(duration.get(logicalId(construct.functions['sf-lookup']))!.Properties.Threshold, 6300);
    for (const a of alarmsOn(template, 'Errors').values()) assert.equal(a.Properties.Threshold, 2);
    for (const a of alarmsOn(template, 'ApiUsed').values()) assert.equal(a.Properties.Threshold, 70);
  });

  it('can each be switched off', () => {
    const count = (props: Parameters<typeof synthFunctions>[0]) => {
      const { template } = synthFunctions(props);
      return {
        errors: alarmsOn(template, 'Errors').size,
        duration: alarmsOn(template, 'Duration').size,
        throttles: alarmsOn(template, 'Throttles').size,
        usage: alarmsOn(template, 'ApiUsed').size + Object.keys(template.findResources('AWS::CloudWatch::CompositeAlarm')).length,
      };
    };
    assert.deepEqual(count({ alarms: { errorRate: false } }), { errors: 0, duration: N, throttles: N, usage: N + 1 });
    assert.deepEqual(count({ alarms: { duration: false } }), { errors: N, duration: 0, throttles: N, usage: N + 1 });
    assert.deepEqual(count({ alarms: { throttles: false } }), { errors: N, duration: N, throttles: 0, usage: N + 1 });
    assert.deepEqual(count({ alarms: { apiUsage: false } }), { errors: N, duration: N, throttles: N, usage: 0 });
    assert.deepEqual(count({ functions: ['lookup'], alarms: { errorRate: false, duration: false, throttles: false, apiUsage: false } }), {
      errors: 0,
      duration: 0,
      throttles: 0,
      usage: 0,
    });
  });

  it('notify an SNS topic, or any alarm action, when they fire and clear', () => {
    const { template } = synthFunctions((stack) => ({
      functions: ['sf-lookup', 'sf-create'],
      alarmAction: sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:eu-west-2:123456789012:contact-centre-alarms'),
    }));
    const acting = [...alarmsOn(template, 'Errors').values(), ...alarmsOn(template, 'Duration').values(), ...alarmsOn(template, 'Throttles').values()];
    assert.equal(acting.length, 6);
    for (const { Properties: p } of [...acting, ...(Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')) as Alarm[])]) {
      assert.deepEqual(p.AlarmActions, ['arn:aws:sns:eu-west-2:123456789012:contact-centre-alarms']);
      assert.deepEqual(p.OKActions, ['arn:aws:sns:eu-west-2:123456789012:contact-centre-alarms']);
    }
    for (const { Properties: p } of alarmsOn(template, 'ApiUsed').values()) assert.equal(p.AlarmActions, undefined);

    const action: cloudwatch.IAlarmAction = { bind: () => ({ alarmActionArn: 'arn:aws:ssm:eu-west-2:123456789012:opsitem:3' }) };
    const other = synthFunctions({ functions: ['sf-lookup'], alarmAction: action }).template;
    for (const { Properties: p } of alarmsOn(other, 'Errors').values()) assert.deepEqual(p.AlarmActions, ['arn:aws:ssm:eu-west-2:123456789012:opsitem:3']);
  });

  it('read the metrics namespace given, which the functions get as SF_METRICS_NAMESPACE', () => {
    const { template } = synthFunctions({ metricsNamespace: 'SalesforceConnect/prod' });
    for (const fn of Object.values(salesforceFunctions(template))) {
      assert.equal(fn.Properties!.Environment.Variables.SF_METRICS_NAMESPACE, 'SalesforceConnect/prod');
    }
    for (const { Properties: p } of alarmsOn(template, 'ApiUsed').values()) {
      for (const m of p.Metrics.filter((x: any) => x.MetricStat)) assert.equal(m.MetricStat.Metric.Namespace, 'SalesforceConnect/prod');
    }
  });

  it('refuse thresholds that are no percentage, a namespace CloudWatch refuses, and a dashboard name without a dashboard', () => {
    assert.throws(() => synthFunctions({ alarms: { errorRateThresholdPercent: 0 } }), /alarms\.errorRateThresholdPercent must be a percentage above 0 and at most 100, got 0/);
    assert.throws(() => synthFunctions({ alarms: { durationThresholdPercent: 120 } }), /alarms\.durationThresholdPercent must be a percentage/);
    assert.throws(() => synthFunctions({ alarms: { apiUsageThresholdPercent: -5 } }), /alarms\.apiUsageThresholdPercent must be a percentage/);
    assert.throws(() => synthFunctions({ metricsNamespace: 'AWS/Lambda' }), /metricsNamespace must be .* not starting with AWS\//);
    assert.throws(() => synthFunctions({ metricsNamespace: 'bad|name' }), /metricsNamespace must be/);
    assert.throws(() => synthFunctions({ dashboardName: 'sf' }), /^Error: dashboardName need dashboard$/);
  });
});

describe('the dashboard', () => {
  it('has a row per function (invocations, calls by outcome, p50/p99 duration, time waiting on Salesforce) and the org\'s API usage', () => {
    const { template } = synthFunctions({ functions: ['sf-lookup', 'sf-create'], dashboard: true, dashboardName: 'salesforce-connect' });
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    assert.equal(dashboard.Properties.DashboardName, 'salesforce-connect');
    const body = JSON.parse(flatten(dashboard.Properties.DashboardBody)) as { widgets: { x: number; y: number; width: number; properties: any }[] };
    const titles = body.widgets.map((w) => w.properties.title);
    assert.deepEqual(titles, [
      'sf-lookup: invocations',
      'sf-lookup: calls by outcome',
      'sf-lookup: duration (ms)',
      'sf-lookup: waiting on Salesforce (ms)',
      'sf-create: invocations',
      'sf-create: calls by outcome',
      'sf-create: duration (ms)',
      'sf-create: waiting on Salesforce (ms)',
      'Salesforce org: API usage (% of the daily allowance)',
      'Salesforce org: API calls used and allowed today',
    ]);
    // A row each: same y, side by side, the full width.
    const rows = new Map<number, number>();
    for (const w of body.widgets) rows.set(w.y, (rows.get(w.y) ?? 0) + w.width);
    assert.deepEqual([...rows.values()], [24, 24, 24]);

    const widget = (title: string) => body.widgets.find((w) => w.properties.title === title)!.properties;
    const invocations = widget('sf-lookup: invocations').metrics.map((m: unknown[]) => m.slice(0, 2).join(' '));
    assert.deepEqual(invocations, ['AWS/Lambda Invocations', 'AWS/Lambda Errors', 'AWS/Lambda Throttles']);
    const outcomes = widget('sf-lookup: calls by outcome');
    assert.equal(outcomes.stacked, true);
    assert.deepEqual(
      outcomes.metrics.map((m: unknown[]) => m.slice(0, 6)),
      OUTCOMES.map((o) => ['SalesforceConnect', 'Invocations', 'Function', 'sf-lookup', 'Outcome', o]),
    );
    const duration = widget('sf-lookup: duration (ms)');
    assert.deepEqual(duration.metrics.map((m: any[]) => m[m.length - 1].stat), ['p50', 'p99']);
    assert.deepEqual(duration.annotations.horizontal, [{ value: 7000, label: 'timeout', yAxis: 'left' }]);
    const waiting = widget('sf-lookup: waiting on Salesforce (ms)');
    assert.deepEqual(waiting.metrics.map((m: any[]) => [m.slice(0, 4), m[m.length - 1].stat]), [
      [['SalesforceConnect', 'SalesforceTime', 'Function', 'sf-lookup'], 'p50'],
      [['SalesforceConnect', 'SalesforceTime', 'Function', 'sf-lookup'], 'p99'],
    ]);
    const usage = widget('Salesforce org: API usage (% of the daily allowance)');
    const expressions = usage.metrics.filter((m: any[]) => m[0].expression).map((m: any[]) => m[0].expression);
    assert.ok(expressions.includes('100 * used / limit'), expressions.join('; '));
    assert.ok(expressions.includes('MAX([used0, used1])') && expressions.includes('MAX([limit0, limit1])'), 'used and limit: the highest any function saw');
    assert.deepEqual(usage.annotations.horizontal, [{ value: 80, label: 'alarm', yAxis: 'left' }]);
  });
});
