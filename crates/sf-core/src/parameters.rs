//! The Amazon Connect event and its `Parameters`, read as tolerantly as Connect sends
//! them.
//!
//! Connect's "Invoke AWS Lambda function" block sends `Details.Parameters` as a JSON
//! object whose values are usually strings but may be numbers, booleans, null or nested
//! JSON; ContactData may hold nulls or miss members altogether. `aws_lambda_events`'
//! `ConnectEvent` types each parameter as a string and require endpoints, so real events
//! fail to deserialize with them: [`ConnectEvent`] is our own, deliberately lenient.
//! Parameters are the only input an operation reads; ContactData only names the contact
//! in logs.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::masking::shown_value;

/// Parameters that steer the function itself: never a field, a condition or a
/// replacement.
pub const OPERATION: &str = "sf_operation";
pub const RESPONSE_FORMAT: &str = "sf_response_format";
const CONTROL_PARAMETERS: [&str; 2] = [OPERATION, RESPONSE_FORMAT];

/// Parameters several operations share, with what each expects.
pub const OBJECT: &str = "sf_object";
pub const OBJECT_EXPECTED: &str = "the sObject API name, such as Case or Contact";
pub const FIELDS: &str = "sf_fields";
pub const FIELDS_EXPECTED: &str = "a comma-separated list of field API names, such as \"Id, Name\"";
pub const ID: &str = "sf_id";
pub const ID_EXPECTED: &str = "the 15- or 18-character Salesforce record id";

/// The parts of a Connect contact-flow event the functions use.
#[derive(Debug, Default, Deserialize)]
pub struct ConnectEvent {
    #[serde(rename = "Details", default)]
    details: Option<Details>,
}

#[derive(Debug, Default, Deserialize)]
struct Details {
    #[serde(rename = "ContactData", default)]
    contact_data: Option<Value>,
    #[serde(rename = "Parameters", default)]
    parameters: Option<Map<String, Value>>,
}

impl ConnectEvent {
    /// Reads an event from the invocation payload. A payload that is not a JSON object
    /// with `Details` is refused, since no parameter could be read from it.
    pub fn from_payload(payload: Value) -> Result<Self> {
        let event: ConnectEvent = serde_json::from_value(payload).map_err(|_| {
            Error::invalid(
                "Details",
                "an Amazon Connect contact-flow event: an object with `Details.Parameters`",
            )
        })?;
        if event.details.is_none() {
            return Err(Error::missing(
                "Details",
                "the event is not an Amazon Connect contact-flow event (no `Details`)",
            ));
        }
        Ok(event)
    }

    /// The contact id, for logs; absent in test events.
    pub fn contact_id(&self) -> Option<&str> {
        self.details
            .as_ref()?
            .contact_data
            .as_ref()?
            .get("ContactId")?
            .as_str()
    }

    pub fn into_parameters(self) -> Parameters {
        Parameters(
            self.details
                .and_then(|details| details.parameters)
                .unwrap_or_default(),
        )
    }
}

/// A parameter value that can stand for one Salesforce value.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Text(String),
    /// The number in serde_json's decimal form (`12.50` reads as `12.5`).
    Number(String),
    Bool(bool),
    Null,
}

impl Scalar {
    fn from_value(name: &str, value: &Value) -> Result<Self> {
        match value {
            Value::String(text) => Ok(Scalar::Text(text.clone())),
            Value::Number(number) => Ok(Scalar::Number(number.to_string())),
            Value::Bool(flag) => Ok(Scalar::Bool(*flag)),
            Value::Null => Ok(Scalar::Null),
            Value::Array(_) | Value::Object(_) => Err(Error::invalid(
                name,
                "a single value (text, number or boolean), not a JSON object or array",
            )),
        }
    }

    /// The value as text: null is empty, numbers and booleans as JSON writes them.
    pub fn as_text(&self) -> String {
        match self {
            Scalar::Text(text) => text.clone(),
            Scalar::Number(number) => number.clone(),
            Scalar::Bool(flag) => flag.to_string(),
            Scalar::Null => String::new(),
        }
    }

    /// The value as Salesforce's REST API takes it in a JSON body.
    pub fn to_json(&self) -> Value {
        match self {
            Scalar::Text(text) => Value::String(text.clone()),
            Scalar::Number(number) => serde_json::from_str(number).unwrap_or(Value::Null),
            Scalar::Bool(flag) => Value::Bool(*flag),
            Scalar::Null => Value::Null,
        }
    }
}

/// `Details.Parameters`, in the order Connect sent them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parameters(Map<String, Value>);

impl Parameters {
    pub fn new(map: Map<String, Value>) -> Self {
        Parameters(map)
    }

    /// A required parameter as text: absent, null or blank is an error that says what
    /// `expected` holds. Surrounding spaces are kept: a value is the flow's to choose.
    pub fn required(&self, name: &str, expected: &str) -> Result<String> {
        self.optional(name)?
            .ok_or_else(|| Error::missing(name, expected))
    }

    /// An optional parameter as text: absent, null or blank is `None`.
    pub fn optional(&self, name: &str) -> Result<Option<String>> {
        match self.0.get(name) {
            None => Ok(None),
            Some(value) => {
                let text = Scalar::from_value(name, value)?.as_text();
                Ok((!text.trim().is_empty()).then_some(text))
            }
        }
    }

    /// Every parameter but `excluded` and the control parameters, in order, each checked
    /// to be a scalar.
    pub fn others(&self, excluded: &[&str]) -> Result<Vec<(&str, Scalar)>> {
        self.0
            .iter()
            .filter(|(name, _)| {
                !excluded.contains(&name.as_str()) && !CONTROL_PARAMETERS.contains(&name.as_str())
            })
            .map(|(name, value)| Ok((name.as_str(), Scalar::from_value(name, value)?)))
            .collect()
    }

    /// The scalar named `name`, if present (null included).
    pub fn scalar(&self, name: &str) -> Result<Option<Scalar>> {
        self.0
            .get(name)
            .map(|value| Scalar::from_value(name, value))
            .transpose()
    }

    /// The operation a flow names in `sf_operation`, checked against those this function
    /// serves; `default` when the flow names none.
    pub fn operation<'a>(&self, served: &[&'a str]) -> Result<&'a str> {
        let Some(named) = self.optional(OPERATION)? else {
            return Ok(served[0]);
        };
        served
            .iter()
            .find(|candidate| **candidate == named.trim())
            .copied()
            .ok_or_else(|| {
                let choices = served
                    .iter()
                    .map(|name| format!("\"{name}\""))
                    .collect::<Vec<_>>()
                    .join(" or ");
                Error::invalid(
                    OPERATION,
                    format!(
                        "{choices} (this function serves only that; use the function for {} instead)",
                        shown_value(&named)
                    ),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parameters_of(value: Value) -> Parameters {
        ConnectEvent::from_payload(json!({"Details": {"Parameters": value}}))
            .unwrap()
            .into_parameters()
    }

    #[test]
    fn reads_a_real_connect_event_with_nulls() {
        let event = ConnectEvent::from_payload(json!({
            "Name": "ContactFlowEvent",
            "Details": {
                "ContactData": {
                    "ContactId": "4a573372-1f28-4e26-b97b-XXXXXXXXXXX",
                    "CustomerEndpoint": null,
                    "SystemEndpoint": null,
                    "Queue": null,
                    "Attributes": {},
                    "MediaStreams": null
                },
                "Parameters": {"sf_object": "Case", "sf_count_me": 3}
            }
        }))
        .unwrap();
        assert_eq!(
            event.contact_id(),
            Some("4a573372-1f28-4e26-b97b-XXXXXXXXXXX")
        );
        let parameters = event.into_parameters();
        assert_eq!(parameters.required("sf_object", "x").unwrap(), "Case");
    }

    #[test]
    fn an_event_without_parameters_has_none() {
        let event = ConnectEvent::from_payload(json!({"Details": {"ContactData": null}})).unwrap();
        assert!(event.contact_id().is_none());
        let error = event
            .into_parameters()
            .required("sf_object", "the sObject name")
            .unwrap_err();
        assert_eq!(error, Error::missing("sf_object", "the sObject name"));
    }

    #[test]
    fn a_payload_that_is_not_an_event_is_refused() {
        for payload in [json!("hello"), json!([1]), json!({}), json!({"Details": 5})] {
            assert!(ConnectEvent::from_payload(payload).is_err());
        }
    }

    #[test]
    fn required_refuses_absent_null_blank_and_nested() {
        let parameters =
            parameters_of(json!({"a": "", "b": null, "c": "  ", "d": {"x": 1}, "e": [1]}));
        for name in ["a", "b", "c", "z"] {
            assert!(matches!(
                parameters.required(name, "something").unwrap_err(),
                Error::MissingParameter { .. }
            ));
        }
        for name in ["d", "e"] {
            let error = parameters.required(name, "something").unwrap_err();
            assert!(matches!(error, Error::InvalidParameter { .. }), "{error}");
            assert!(error.to_string().contains(&format!("`{name}`")));
        }
    }

    #[test]
    fn numbers_and_booleans_read_as_text() {
        let parameters = parameters_of(json!({"n": 12.50, "i": 7, "b": true}));
        assert_eq!(parameters.required("n", "").unwrap(), "12.5");
        assert_eq!(parameters.required("i", "").unwrap(), "7");
        assert_eq!(parameters.required("b", "").unwrap(), "true");
    }

    #[test]
    fn others_keep_order_and_skip_control_parameters() {
        let parameters = parameters_of(json!({
            "sf_object": "Case", "sf_operation": "lookup", "Zeta": "1",
            "sf_response_format": "json", "Alpha": 2, "Flag": false, "Gone": null
        }));
        let others = parameters.others(&["sf_object"]).unwrap();
        assert_eq!(
            others,
            vec![
                ("Zeta", Scalar::Text("1".into())),
                ("Alpha", Scalar::Number("2".into())),
                ("Flag", Scalar::Bool(false)),
                ("Gone", Scalar::Null),
            ]
        );
        assert!(parameters_of(json!({"x": {"y": 1}})).others(&[]).is_err());
    }

    #[test]
    fn scalar_to_json_keeps_the_json_type() {
        assert_eq!(Scalar::Number("12.50".into()).to_json(), json!(12.5));
        assert_eq!(Scalar::Bool(true).to_json(), json!(true));
        assert_eq!(Scalar::Null.to_json(), Value::Null);
        assert_eq!(Scalar::Text("x".into()).to_json(), json!("x"));
    }

    #[test]
    fn operation_must_name_this_function() {
        let served = ["lookup", "lookup_all"];
        assert_eq!(
            parameters_of(json!({})).operation(&served).unwrap(),
            "lookup"
        );
        assert_eq!(
            parameters_of(json!({"sf_operation": "lookup_all"}))
                .operation(&served)
                .unwrap(),
            "lookup_all"
        );
        let error = parameters_of(json!({"sf_operation": "delete"}))
            .operation(&served)
            .unwrap_err();
        let message = error.to_string();
        assert!(message.contains("`sf_operation`"), "{message}");
        assert!(
            message.contains("\"lookup\" or \"lookup_all\""),
            "{message}"
        );
        assert!(
            parameters_of(json!({"sf_operation": "Lookup"}))
                .operation(&served)
                .is_err()
        );
    }
}
