//! Microbenchmarks of the pure code on every invocation's path: building a lookup's
//! SOQL with escaping, a query's replacements, flattening a 200-record answer (two
//! levels of relationship, just under Connect's 32 KB), a
//! Chatter template, and the metric line written after each invocation. `make bench` runs them and copies the medians into
//! BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Map, Value, json};
use sf_core::answer::{ResponseFormat, many_records};
use sf_core::error::{Error, SalesforceError};
use sf_core::invocation_context::{ApiUsage, Facts};
use sf_core::metrics::{InvocationReport, Metrics, Outcome};
use sf_core::parameters::{Parameters, Scalar};
use sf_core::{api_name, soql, template};

fn soql_building(c: &mut Criterion) {
    c.bench_function("soql/lookup_statement", |b| {
        b.iter(|| {
            let fields = api_name::field_list(
                "sf_fields",
                black_box("Id, Subject, Status, Contact.Name, Contact.Account.Name"),
            )
            .unwrap();
            let conditions = vec![
                soql::condition("CaseNumber", &Scalar::Text(black_box("00001001").into())).unwrap(),
                soql::condition(
                    "Subject",
                    &Scalar::Text(black_box("O'Brien\\ 50% off").into()),
                )
                .unwrap(),
                soql::condition(
                    "MobilePhone",
                    &Scalar::Text(black_box("+1 (555) 123-4567").into()),
                )
                .unwrap(),
            ];
            soql::select(&fields, "Case", &conditions)
        })
    });
    c.bench_function("soql/query_replacements", |b| {
        let replacements = [
            ("contactId", Scalar::Text("0038V0000000001QAA".into())),
            ("status", Scalar::Text("New' OR Name != '".into())),
        ];
        b.iter(|| {
            soql::substitute(
                black_box(
                    "SELECT Id, CaseNumber, Subject FROM Case WHERE ContactId = 'contactId' \
                     AND Status = 'status' ORDER BY CaseNumber",
                ),
                &replacements,
            )
            .unwrap()
        })
    });
}

fn flattening(c: &mut Criterion) {
    let records: Vec<Value> = (0..200)
        .map(|index| {
            json!({
                "attributes": {"type": "Contact", "url": format!("/services/data/v66.0/sobjects/Contact/003{index:015}")},
                "Id": format!("003{index:015}"),
                "Account": {"attributes": {"type": "Account"}, "Name": "Acme", "Owner": {"attributes": {"type": "User"}, "Alias": "jsmith"}},
            })
        })
        .collect();
    c.bench_function("answer/flatten_200_records", |b| {
        b.iter(|| many_records(black_box(&records), 200, ResponseFormat::Flat).unwrap())
    });
}

fn templates(c: &mut Criterion) {
    let mut map = Map::new();
    map.insert(
        "contactId".into(),
        json!("5ca32fbd-8f92-46af-92a5-6b0f970f0efe"),
    );
    map.insert("caseNumber".into(), json!("00001001"));
    let parameters = Parameters::new(map);
    c.bench_function("template/chatter_message", |b| {
        b.iter(|| {
            template::fill(
                "sf_message",
                black_box("Caller {{ contactId }} asked about case {{caseNumber}} again."),
                &parameters,
            )
            .unwrap()
        })
    });
}

fn metric_line(c: &mut Criterion) {
    let metrics = Metrics::new("SalesforceConnect", 80);
    let facts = Facts {
        salesforce_calls: 2,
        retries: 1,
        salesforce_wait: std::time::Duration::from_millis(42),
        api_usage: Some(ApiUsage {
            used: 18_211,
            limit: 100_000,
        }),
        ..Facts::default()
    };
    let error = Error::Salesforce {
        status: 400,
        errors: vec![SalesforceError::new("INVALID_FIELD", "No such column")],
    };
    c.bench_function("metrics/invocation_line", |b| {
        b.iter(|| {
            metrics.line(&InvocationReport {
                function: "sf-lookup",
                request_id: "35043d78-4868-41d5-9efc-5967e29f4d34",
                started: std::time::SystemTime::now(),
                duration: std::time::Duration::from_millis(48),
                outcome: Outcome::of(Some(black_box(&error))),
                error_code: InvocationReport::error_code(Some(&error)),
                facts: black_box(&facts),
                cold_start: false,
                answer_bytes: None,
            })
        })
    });
}

criterion_group!(benches, soql_building, flattening, templates, metric_line);
criterion_main!(benches);
