//! Presence: who is in a document and in which field, sent as automerge-repo ephemeral messages (CBOR).

use minicbor::data::Type;
use minicbor::{Decoder, Encoder};

/// Marker key so that other clients' ephemeral data is told apart from ours.
const MARKER: &str = "kompromissPresence";

/// One person's presence in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    /// Display name shown to others.
    pub name: String,
    /// DOM id of the field being edited ([`crate::schema::FieldPath::dom_id`]), if any.
    pub field: Option<String>,
}

/// Longest name or field accepted, in bytes.
const MAX_TEXT: usize = 200;

/// Encodes presence as a CBOR map.
pub fn encode(p: &Presence) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut e = Encoder::new(&mut buf);
    let _ = (|| -> Result<(), minicbor::encode::Error<std::convert::Infallible>> {
        e.map(3)?.str(MARKER)?.u8(1)?.str("name")?.str(&p.name)?.str("field")?;
        match &p.field {
            Some(f) => e.str(f)?,
            None => e.null()?,
        };
        Ok(())
    })();
    buf
}

/// Decodes presence; `None` for anything that is not ours or not well-formed.
pub fn decode(bytes: &[u8]) -> Option<Presence> {
    let mut d = Decoder::new(bytes);
    let n = d.map().ok()??;
    let (mut marker, mut name, mut field) = (false, None, None);
    for _ in 0..n {
        match d.str().ok()? {
            MARKER => marker = d.u8().ok()? == 1,
            "name" => name = Some(d.str().ok()?.to_owned()),
            "field" if d.datatype().ok()? == Type::Null => d.skip().ok()?,
            "field" => field = Some(d.str().ok()?.to_owned()),
            _ => d.skip().ok()?,
        }
    }
    let name = name?;
    let short = name.len() <= MAX_TEXT && field.as_ref().is_none_or(|f: &String| f.len() <= MAX_TEXT);
    (marker && short).then_some(Presence { name, field })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_round_trips_and_foreign_data_is_ignored() {
        let p = Presence { name: "Anna".into(), field: Some("f-s-ziele-body".into()) };
        assert_eq!(decode(&encode(&p)), Some(p));
        let q = Presence { name: "Ben".into(), field: None };
        assert_eq!(decode(&encode(&q)), Some(q));
        assert_eq!(decode(b"\xa1\x61x\x01"), None);
        assert_eq!(decode(&[0xff, 0x00]), None);
    }
}
