//! Salesforce record ids: 15 case-sensitive characters (a 3-character key prefix
//! naming the object, then the record's number) and the 18-character form that
//! appends a 3-character checksum of the letters' case, so that the id survives
//! case-insensitive systems. The sandbox stores and answers the 18-character form
//! and accepts both, as Salesforce does.

/// Digits of the record number inside an id, in Salesforce's base-62 order.
const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The alphabet of the checksum: one character per 5-bit value.
const SUFFIX_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// The characters between the key prefix and the record number in every id the
/// sandbox makes: Salesforce puts the pod (instance) there; "8V" is ours.
const POD: &str = "8V0";

/// The checksum Salesforce appends to a 15-character id: for each 5-character
/// chunk, a bit per upper-case letter, read as one character of `SUFFIX_ALPHABET`.
pub fn checksum_suffix(id15: &str) -> String {
    id15.as_bytes()
        .chunks(5)
        .map(|chunk| {
            let bits = chunk
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_ascii_uppercase())
                .fold(0usize, |acc, (i, _)| acc | (1 << i));
            SUFFIX_ALPHABET[bits] as char
        })
        .collect()
}

/// The canonical 18-character form of a 15- or 18-character id, or `None` when
/// the text is not an id. An 18-character id may arrive in any letter case (that
/// is what the suffix is for): its suffix restores the case of the first 15.
pub fn canonical_id(text: &str) -> Option<String> {
    if !text.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    match text.len() {
        15 => Some(format!("{text}{}", checksum_suffix(text))),
        18 => {
            let (body, suffix) = text.split_at(15);
            let suffix = suffix.to_ascii_uppercase();
            let mut restored = String::with_capacity(15);
            for (chunk_index, suffix_char) in suffix.bytes().enumerate() {
                let bits = SUFFIX_ALPHABET.iter().position(|&c| c == suffix_char)?;
                let chunk = &body[chunk_index * 5..chunk_index * 5 + 5];
                for (i, c) in chunk.chars().enumerate() {
                    let upper = bits & (1 << i) != 0;
                    if upper && !c.is_ascii_alphabetic() {
                        return None;
                    }
                    restored.push(if upper {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    });
                }
            }
            Some(format!("{restored}{suffix}"))
        }
        _ => None,
    }
}

/// Builds the 18-character id of record number `n` of the object with `key_prefix`.
pub fn make_id(key_prefix: &str, n: u64) -> String {
    let mut digits = [b'0'; 9];
    let mut rest = n;
    for slot in digits.iter_mut().rev() {
        *slot = BASE62[(rest % 62) as usize];
        rest /= 62;
    }
    let id15 = format!(
        "{key_prefix}{POD}{}",
        std::str::from_utf8(&digits).expect("base-62 digits are ASCII")
    );
    format!("{id15}{}", checksum_suffix(&id15))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 15 → 18 conversions of real Salesforce ids (from Salesforce's own
    /// documentation and the sfInvokeAPI guide).
    const REAL_IDS: &[(&str, &str)] = &[
        ("001A0000006Vm9r", "001A0000006Vm9rIAC"),
        ("5006g00000AaIs7", "5006g00000AaIs7AAF"),
        ("00303000001RZfI", "00303000001RZfIAAW"),
        ("0D503000000ILY5", "0D503000000ILY5CAO"),
        ("0D703000000ChhN", "0D703000000ChhNCAS"),
        ("50001000001BIn6", "50001000001BIn6AAG"),
        ("001D000000IqhSL", "001D000000IqhSLIAZ"),
        ("001D000000Iomaz", "001D000000IomazIAB"),
    ];

    #[test]
    fn checksum_matches_real_salesforce_conversions() {
        for (id15, id18) in REAL_IDS {
            assert_eq!(format!("{id15}{}", checksum_suffix(id15)), *id18, "{id15}");
        }
    }

    #[test]
    fn fifteen_character_ids_become_eighteen() {
        for (id15, id18) in REAL_IDS {
            assert_eq!(canonical_id(id15).as_deref(), Some(*id18));
        }
    }

    #[test]
    fn eighteen_character_ids_in_any_case_are_restored() {
        for (_, id18) in REAL_IDS {
            assert_eq!(canonical_id(id18).as_deref(), Some(*id18));
            assert_eq!(canonical_id(&id18.to_lowercase()).as_deref(), Some(*id18));
            assert_eq!(canonical_id(&id18.to_uppercase()).as_deref(), Some(*id18));
        }
    }

    #[test]
    fn non_ids_are_refused() {
        for text in [
            "",
            "abc",
            "001A0000006Vm9",
            "001A0000006Vm9rIA",
            "001A0000006Vm9r!AC",
        ] {
            assert_eq!(canonical_id(text), None, "{text:?}");
        }
        // A suffix that claims an upper-case letter where there is a digit.
        assert_eq!(canonical_id("000000000000000BAA"), None);
        // A suffix character outside the alphabet.
        assert_eq!(canonical_id("001A0000006Vm9rI9C"), None);
    }

    #[test]
    fn made_ids_are_valid_and_distinct() {
        let a = make_id("003", 1);
        let b = make_id("003", 62);
        assert_eq!(a.len(), 18);
        assert!(a.starts_with("0038V0"));
        assert_eq!(canonical_id(&a).as_deref(), Some(a.as_str()));
        assert_ne!(a, b);
        assert_eq!(&b[6..15], "000000010");
    }
}
