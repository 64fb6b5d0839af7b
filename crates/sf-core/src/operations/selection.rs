//! The record-selection rule: how many of the records Salesforce matched an answer holds.
//! Every reading operation answers through [`Selection::answer`], so `sf_count` and the
//! fields mean the same whichever operation found the records.

use serde_json::Value;

use crate::answer::{self, ResponseFormat};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// `sf_records_<i>_…` for every record (`lookup_all`, `query`, `search`).
    All,
    /// The first record's fields, however many matched (`lookup`, `phoneLookup`).
    First,
    /// The record's fields only when exactly one matched (`queryOne`, `searchOne`).
    ExactlyOne,
}

impl Selection {
    /// The answer for `records`, the ones at hand of the `matched` records Salesforce
    /// found; `sf_count` is always `matched`.
    pub fn answer(self, records: &[Value], matched: u64, format: ResponseFormat) -> Result<Value> {
        match self {
            Selection::All => answer::many_records(records, matched, format),
            Selection::First => answer::one_record(records.first(), matched, format),
            Selection::ExactlyOne => {
                answer::one_record(records.first().filter(|_| matched == 1), matched, format)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_rule_answers_its_records() {
        let records = [json!({"Id": "a"}), json!({"Id": "b"})];
        let flat = ResponseFormat::Flat;
        assert_eq!(
            Selection::All.answer(&records, 2, flat).unwrap(),
            json!({"sf_records_0_Id": "a", "sf_records_1_Id": "b", "sf_count": "2"})
        );
        assert_eq!(
            Selection::First.answer(&records, 2, flat).unwrap(),
            json!({"Id": "a", "sf_count": "2"})
        );
        assert_eq!(
            Selection::ExactlyOne.answer(&records, 2, flat).unwrap(),
            json!({"sf_count": "2"})
        );
        assert_eq!(
            Selection::ExactlyOne
                .answer(&records[..1], 1, flat)
                .unwrap(),
            json!({"Id": "a", "sf_count": "1"})
        );
        assert_eq!(
            Selection::First.answer(&[], 0, flat).unwrap(),
            json!({"sf_count": "0"})
        );
    }
}
