//! CSV versions of the reports: a header line of field names, then one line per record, UTF-8.
//!
//! A record is one of the API's wire types (`numerek_api::report::Row`, `ReportTicket`): the
//! header is its fields' names in declaration order, a line its values as the JSON answer has
//! them (numbers as JSON numbers, `true`/`false`, timestamps as RFC 3339), null as an empty
//! field, quoted (RFC 4180) only when a field holds a comma, a quote or a line break. Lines end
//! with `\n`, which every spreadsheet reads.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, forward_to_deserialize_any};
use serde_json::Value;
use std::fmt::Write;

/// One field as CSV text.
fn field(value: &Value) -> String {
    let text = match value {
        Value::Null => return String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The names of the fields of the struct `T`, in declaration order: the columns of its CSV.
///
/// Read from `T`'s derived `Deserialize`, which names its fields to the deserializer it is
/// given; so the columns are the wire type's own and cannot drift from its JSON.
pub fn fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    // The deserializer refuses once it has seen the names: nothing is built.
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

/// A deserializer that only notes the field names a struct asks it for.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("a CSV record is a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("only the field names were asked for"))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The header line of the records `T`.
pub fn header<'de, T: Deserialize<'de>>() -> String {
    let mut line = fields::<T>().join(",");
    line.push('\n');
    line
}

/// One record's line: its values in field order.
pub fn line<T: Serialize>(record: &T) -> String {
    let mut line = String::new();
    // A record of plain fields always becomes a JSON object, its fields in declaration order.
    if let Ok(Value::Object(values)) = serde_json::to_value(record) {
        for (i, value) in values.values().enumerate() {
            if i > 0 {
                line.push(',');
            }
            let _ = write!(line, "{}", field(value));
        }
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize)]
    struct Record {
        a: String,
        b: Option<u32>,
        c: f64,
        d: String,
        e: bool,
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let record = Record {
            a: "x".into(),
            b: None,
            c: 1.5,
            d: "say \"hi\", then go".into(),
            e: true,
        };
        assert_eq!(header::<Record>(), "a,b,c,d,e\n");
        assert_eq!(line(&record), "x,,1.5,\"say \"\"hi\"\", then go\",true\n");
    }

    #[test]
    fn the_report_columns_are_the_wire_types_fields() {
        assert_eq!(
            header::<numerek_api::Row>(),
            "key,issued,called,served,no_show,cancelled,wait_avg_s,wait_p50_s,wait_p90_s,\
             wait_max_s,service_avg_s,within_target_pct,appointments,appointments_missed,\
             appointment_delay_avg_s,feedback_count,satisfaction_avg\n"
        );
        assert_eq!(
            header::<numerek_api::ReportTicket>(),
            "id,number,category,priority,state,issued_at,called_at,finished_at,counter,recalls,\
             transferred_from\n"
        );
    }
}
