//! CSV versions of the reports: a header line of field names, then one line per record, UTF-8.
//!
//! Fields are written as the JSON answer has them (numbers as JSON numbers, `true`/`false`,
//! timestamps as RFC 3339), null as an empty field, and quoted (RFC 4180) only when a field
//! holds a comma, a quote or a line break. Lines end with `\n`, which every spreadsheet reads.

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

/// The header line of these field names.
pub fn header(fields: &[&str]) -> String {
    let mut line = fields.join(",");
    line.push('\n');
    line
}

/// One record: the values of `record` (a JSON object) for these fields, in their order.
pub fn line(fields: &[&str], record: &Value) -> String {
    let mut line = String::new();
    for (i, name) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let _ = write!(line, "{}", field(record.get(*name).unwrap_or(&Value::Null)));
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let fields = ["a", "b", "c", "d", "e"];
        let record = json!({"a": "x", "b": null, "c": 1.5, "d": "say \"hi\", then go", "e": true});
        assert_eq!(header(&fields), "a,b,c,d,e\n");
        assert_eq!(
            line(&fields, &record),
            "x,,1.5,\"say \"\"hi\"\", then go\",true\n"
        );
    }
}
