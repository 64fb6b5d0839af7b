//! Connect events: the committed ones in `events/*.json` (the ones `make demo` sends)
//! and events built from one of them with other parameters. Every test builds its
//! events here, so they all carry the shape and the nulls real Connect events carry.

use serde_json::{Map, Value, json};

use crate::catalog;

/// What the sample org answers to the demo lookup event (`events/lookup.json`): its case
/// 5008V0000000001QAA with the contact's and the account's names.
pub fn demo_lookup_answer() -> Value {
    json!({
        "Id": "5008V0000000001QAA",
        "Subject": "Broken widget",
        "Status": "New",
        "Contact.Name": "Jim Smith",
        "Contact.Account.Name": "Acme Corporation",
        "sf_count": "1"
    })
}

/// The committed Connect event of the function serving `operation` (`lookup`, …).
pub fn demo_event(operation: &str) -> Value {
    // Every served operation has its event beside its function's default one (the
    // catalogue's test in sf-core checks it): `events/<operation>.json`.
    catalog::serving(operation);
    let path = crate::workspace_root().join(format!("events/{operation}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()))
}

/// A real-shaped Connect event carrying `parameters` (a JSON object, or anything else
/// for tests of malformed events) and no caller number: the contact data of the
/// committed lookup event, with the `CustomerEndpoint: null` of a chat or task contact.
pub fn event(parameters: Value) -> Value {
    Event::with_parameters(parameters).into()
}

/// A Connect event being built: start from a committed event or from parameters, then
/// set or remove parameters.
#[derive(Debug, Clone)]
pub struct Event(Value);

impl Event {
    /// The committed event of the function serving `operation`, as [`demo_event`].
    pub fn demo(operation: &str) -> Event {
        Event(demo_event(operation))
    }

    /// An event carrying `parameters`, as [`event`].
    pub fn with_parameters(parameters: Value) -> Event {
        let mut event = Event::demo("lookup").replace_parameters(parameters);
        event.0["Details"]["ContactData"]["CustomerEndpoint"] = Value::Null;
        event
    }

    /// Sets parameter `name` to `value` (a string, a number, `null`…).
    pub fn set(mut self, name: &str, value: impl Into<Value>) -> Event {
        self.parameters().insert(name.to_owned(), value.into());
        self
    }

    /// Replaces every parameter with `parameters`, keeping the contact data.
    pub fn replace_parameters(mut self, parameters: Value) -> Event {
        self.0["Details"]["Parameters"] = parameters;
        self
    }

    /// Parameter `name`, if the event carries it.
    pub fn parameter(&self, name: &str) -> Option<&Value> {
        self.0["Details"]["Parameters"].get(name)
    }

    /// Removes parameter `name`.
    pub fn remove(mut self, name: &str) -> Event {
        self.parameters().remove(name);
        self
    }

    fn parameters(&mut self) -> &mut Map<String, Value> {
        self.0["Details"]["Parameters"]
            .as_object_mut()
            .expect("the event's Parameters are not an object")
    }

    pub fn into_value(self) -> Value {
        self.0
    }
}

impl From<Event> for Value {
    fn from(event: Event) -> Value {
        event.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_function_has_its_committed_event_naming_its_operation() {
        for (name, operation) in crate::functions() {
            let event = demo_event(operation);
            assert_eq!(event["Name"], "ContactFlowEvent", "{name}");
            assert_eq!(
                event["Details"]["Parameters"]["sf_operation"], operation,
                "{name}"
            );
        }
    }

    #[test]
    fn parameters_are_set_and_removed_and_the_rest_is_kept() {
        let event = Event::demo("lookup")
            .set("CaseNumber", "00001002")
            .set("sf_limit", 5)
            .remove("sf_fields")
            .into_value();
        let parameters = &event["Details"]["Parameters"];
        assert_eq!(parameters["CaseNumber"], "00001002");
        assert_eq!(parameters["sf_limit"], 5);
        assert!(parameters.get("sf_fields").is_none());
        assert_eq!(parameters["sf_object"], "Case");
        assert_eq!(
            event["Details"]["ContactData"],
            demo_event("lookup")["Details"]["ContactData"]
        );
    }

    #[test]
    fn a_built_event_carries_its_parameters_and_no_caller_number() {
        let event = event(json!({"sf_operation": "query"}));
        assert_eq!(
            event["Details"]["Parameters"],
            json!({"sf_operation": "query"})
        );
        assert_eq!(
            event["Details"]["ContactData"]["CustomerEndpoint"],
            Value::Null
        );
        assert!(event["Details"]["ContactData"]["ContactId"].is_string());
    }
}
