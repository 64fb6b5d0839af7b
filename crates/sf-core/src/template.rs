//! `{{name}}` placeholders in Chatter messages.
//!
//! A placeholder is replaced by the parameter of that name (spaces inside the braces
//! are ignored). A placeholder whose parameter is missing, or a `{{` that is never
//! closed, is an error: a half-filled message posted to a customer's record is worse
//! than the flow's Error branch.

use crate::error::{Error, Result};
use crate::parameters::Parameters;

/// Fills the placeholders of `template`, the value of parameter `parameter`.
pub fn fill(parameter: &str, template: &str, parameters: &Parameters) -> Result<String> {
    let mut filled = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        filled.push_str(&rest[..open]);
        let after_open = &rest[open + 2..];
        let close = after_open.find("}}").ok_or_else(|| {
            Error::invalid(
                parameter,
                "every `{{` closed by `}}`, as in \"case {{caseId}}\"",
            )
        })?;
        let name = after_open[..close].trim();
        if name.is_empty() {
            return Err(Error::invalid(
                parameter,
                "a parameter name between `{{` and `}}`",
            ));
        }
        let value = parameters.scalar(name)?.ok_or_else(|| {
            Error::invalid(
                parameter,
                format!("a parameter named `{name}` to fill the placeholder {{{{{name}}}}}"),
            )
        })?;
        filled.push_str(&value.as_text());
        rest = &after_open[close + 2..];
    }
    filled.push_str(rest);
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parameters_of(value: serde_json::Value) -> Parameters {
        Parameters::new(value.as_object().unwrap().clone())
    }

    #[test]
    fn fills_placeholders_with_and_without_spaces() {
        let parameters = parameters_of(json!({"caseId": 1234, "name": "Ana"}));
        assert_eq!(
            fill("sf_message", "Case {{caseId}} for {{ name }}.", &parameters).unwrap(),
            "Case 1234 for Ana."
        );
        assert_eq!(
            fill("sf_message", "no placeholders", &parameters).unwrap(),
            "no placeholders"
        );
        assert_eq!(fill("sf_message", "", &parameters).unwrap(), "");
    }

    #[test]
    fn values_are_not_filled_again() {
        let parameters = parameters_of(json!({"a": "{{b}}", "b": "x"}));
        assert_eq!(fill("m", "{{a}}", &parameters).unwrap(), "{{b}}");
    }

    #[test]
    fn a_lone_closing_brace_is_text() {
        let parameters = parameters_of(json!({}));
        assert_eq!(fill("m", "a }} b { c", &parameters).unwrap(), "a }} b { c");
    }

    #[test]
    fn unclosed_missing_and_empty_placeholders_are_errors() {
        let parameters = parameters_of(json!({"caseId": "1"}));
        let unclosed = fill("sf_message", "case {{caseId", &parameters).unwrap_err();
        assert!(unclosed.to_string().contains("`sf_message`"), "{unclosed}");
        assert!(unclosed.to_string().contains("closed"), "{unclosed}");
        let missing = fill("sf_commentMessage", "{{ contactId }}", &parameters).unwrap_err();
        assert!(missing.to_string().contains("`contactId`"), "{missing}");
        assert!(fill("m", "{{ }}", &parameters).is_err());
        assert!(fill("m", "{{x}}", &parameters_of(json!({"x": {"y": 1}}))).is_err());
    }

    #[test]
    fn multibyte_text_around_placeholders() {
        let parameters = parameters_of(json!({"n": "Zoë"}));
        assert_eq!(
            fill("m", "¡Hola {{n}}! ✓", &parameters).unwrap(),
            "¡Hola Zoë! ✓"
        );
    }
}
