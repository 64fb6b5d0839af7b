//! The describe-like shape of the org: which objects exist, their key prefixes, and
//! the fields each one has with their types. Salesforce refuses an unknown object
//! or field everywhere (query, search, create, update), so the sandbox keeps this
//! list and looks every name up here, case-insensitively, answering with the
//! canonical spelling.

use serde::Deserialize;

/// A field's type, as Salesforce's describe names it (lower case in the seed file).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Id,
    Reference,
    String,
    Textarea,
    Phone,
    Email,
    Picklist,
    Url,
    Boolean,
    Double,
    Int,
    Currency,
    Percent,
    Date,
    Datetime,
    /// A time of day, written and answered as `HH:mm:ss.SSSZ`.
    Time,
    /// A compound address (`MailingAddress`), computed from its component fields.
    Address,
    /// A number Salesforce assigns on insert (`CaseNumber`), kept as text.
    Autonumber,
}

impl FieldType {
    /// Whether values are text: compared case-insensitively, matched by LIKE and
    /// by search terms.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            FieldType::String
                | FieldType::Textarea
                | FieldType::Phone
                | FieldType::Email
                | FieldType::Picklist
                | FieldType::Url
                | FieldType::Autonumber
        )
    }

    /// Whether values are record ids (compared in their canonical 18-character form).
    pub fn is_id(self) -> bool {
        matches!(self, FieldType::Id | FieldType::Reference)
    }

    pub fn is_number(self) -> bool {
        matches!(
            self,
            FieldType::Double | FieldType::Int | FieldType::Currency | FieldType::Percent
        )
    }

    /// The type's name in Salesforce's error messages.
    pub fn soap_name(self) -> &'static str {
        match self {
            FieldType::Boolean => "boolean",
            FieldType::Double | FieldType::Currency | FieldType::Percent => "double",
            FieldType::Int => "int",
            FieldType::Date => "date",
            FieldType::Datetime => "dateTime",
            FieldType::Time => "time",
            FieldType::Id | FieldType::Reference => "id",
            _ => "string",
        }
    }
}

fn yes() -> bool {
    true
}

/// One field of an object, as listed in the seed file.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldDef {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// Refused as missing (or cleared) on create and update.
    #[serde(default)]
    pub required: bool,
    /// Whether create and update may set it; `Id`, audit fields and computed
    /// fields may not.
    #[serde(default = "yes")]
    pub updateable: bool,
    /// For references: the objects the id may point at (several for `WhoId`).
    #[serde(default)]
    pub reference_to: Vec<String>,
    /// For references: the name used in relationship paths (`Account` for `AccountId`).
    pub relationship_name: Option<String>,
    /// Set on create when the body leaves the field out (a picklist's default).
    pub default_value: Option<serde_json::Value>,
    /// For computed fields: the fields they are made of (`Name` from `FirstName`,
    /// `LastName`; `MailingAddress` from `MailingStreet`, …).
    #[serde(default)]
    pub compound_of: Vec<String>,
    /// Searched when parameterizedSearch asks for `"in": "NAME"`.
    #[serde(default)]
    pub name_field: bool,
    /// For text fields: the most characters a value may have (`STRING_TOO_LONG`
    /// past it), as describe's `length`.
    pub length: Option<usize>,
}

impl FieldDef {
    pub fn is_computed(&self) -> bool {
        !self.compound_of.is_empty() || self.kind == FieldType::Autonumber
    }

    /// Whether WHERE and ORDER BY may use it (Salesforce refuses compound addresses).
    pub fn is_filterable(&self) -> bool {
        self.kind != FieldType::Address
    }

    /// The field's label as Salesforce's messages name it: its API name in words
    /// (`BillingCity` → `Billing City`), which is what the standard fields' labels are.
    pub fn label(&self) -> String {
        let name = self.name.strip_suffix("__c").unwrap_or(&self.name);
        let mut label = String::new();
        let mut previous: Option<char> = None;
        for c in name.chars() {
            if c == '_' {
                label.push(' ');
            } else {
                if c.is_ascii_uppercase()
                    && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                {
                    label.push(' ');
                }
                label.push(c);
            }
            previous = Some(c);
        }
        label
    }
}

/// One object (sObject type) of the org.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectDef {
    pub name: String,
    pub key_prefix: String,
    pub fields: Vec<FieldDef>,
}

impl ObjectDef {
    /// The field called `name`, in any letter case.
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// The reference field whose relationship is called `name` (`Account` → `AccountId`).
    pub fn relationship(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| {
            f.relationship_name
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case(name))
        })
    }
}

/// All objects of the org.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub objects: Vec<ObjectDef>,
}

impl Schema {
    /// The object called `name`, in any letter case.
    pub fn object(&self, name: &str) -> Option<&ObjectDef> {
        self.objects
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(name))
    }

    /// The object an id belongs to, by its key prefix.
    pub fn object_for_id(&self, id: &str) -> Option<&ObjectDef> {
        self.objects
            .iter()
            .find(|o| id.get(..3) == Some(o.key_prefix.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_api_names_in_words() {
        let label = |name: &str| {
            let field: FieldDef =
                serde_json::from_value(serde_json::json!({"name": name, "type": "string"}))
                    .unwrap();
            field.label()
        };
        assert_eq!(label("BillingCity"), "Billing City");
        assert_eq!(label("Subject"), "Subject");
        assert_eq!(
            label("Preferred_Callback_Time__c"),
            "Preferred Callback Time"
        );
        assert_eq!(label("SLAViolation"), "SLAViolation");
    }
}
