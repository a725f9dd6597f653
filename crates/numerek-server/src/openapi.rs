//! The OpenAPI 3.1 document of the whole API (`openapi.json` beside this file), served at
//! `GET /api/v1/openapi.json`.
//!
//! The document is written by hand and kept in step with the router by a test: every route of
//! [`crate::app`] (read from `lib.rs`'s source) must be described, and nothing else. Each
//! operation names its roles (`security`, and `x-numerek-role` for the least role it needs), its
//! body and every error it can answer; the schemathesis fuzz test
//! (`crates/numerek/tests/it/hostile.rs`) runs the real server against it.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The document, as served.
pub const DOCUMENT: &str = include_str!("openapi.json");

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT).into_response()
}

#[cfg(test)]
mod tests {
    use super::DOCUMENT;
    use serde_json::Value;
    use std::collections::BTreeSet;

    /// The methods an axum method router is built from.
    const METHODS: [&str; 8] = [
        "get", "post", "put", "patch", "delete", "head", "options", "trace",
    ];

    fn document() -> Value {
        serde_json::from_str(DOCUMENT).expect("openapi.json is JSON")
    }

    /// The text of `source` from `open` (an opening parenthesis) to its matching close.
    fn balanced(source: &str, open: usize) -> &str {
        let mut depth = 0;
        for (i, c) in source[open..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return &source[open + 1..open + i];
                    }
                }
                _ => {}
            }
        }
        panic!("unbalanced parentheses in lib.rs")
    }

    /// The first string literal in `text`.
    fn literal(text: &str) -> &str {
        let start = text.find('"').expect("a string literal") + 1;
        let end = start + text[start..].find('"').expect("a closed string literal");
        &text[start..end]
    }

    /// Every `(METHOD, path)` the router of `lib.rs` answers: each `.route("…", …)` with the
    /// methods of its method router (`get(…)`, `.post(…)`, `axum::routing::delete(…)`, …),
    /// below the prefix of the router it is nested under (`.nest("/api/v1", api)`).
    fn routes_in(source: &str) -> BTreeSet<(String, String)> {
        // Routers built as `let NAME = Router::new()…;` and where they are nested.
        let mut blocks = Vec::new();
        for (at, _) in source.match_indices("let ") {
            let rest = &source[at + 4..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !rest[name.len()..]
                .trim_start()
                .starts_with("= Router::new()")
            {
                continue;
            }
            let end = at + source[at..].find(';').expect("the router statement ends");
            let nest = ".nest(";
            let prefix = source
                .match_indices(nest)
                .map(|(i, _)| balanced(source, i + nest.len() - 1))
                .find(|args| args.split(',').nth(1).map(str::trim) == Some(name.as_str()))
                .map(|args| literal(args).to_owned());
            if let Some(prefix) = prefix {
                blocks.push((at..end, prefix));
            }
        }
        let mut routes = BTreeSet::new();
        for (at, _) in source.match_indices(".route(") {
            let args = balanced(source, at + ".route".len());
            let path = literal(args);
            let prefix = blocks
                .iter()
                .find(|(range, _)| range.contains(&at))
                .map_or("", |(_, prefix)| prefix.as_str());
            let router = &args[args.find(',').expect("a method router") + 1..];
            let mut found = false;
            for (i, _) in router.match_indices('(') {
                let name: String = router[..i]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                if METHODS.contains(&name.as_str()) {
                    routes.insert((name.to_uppercase(), format!("{prefix}{path}")));
                    found = true;
                }
            }
            assert!(found, "no method found for the route {path} in lib.rs");
        }
        routes
    }

    fn routes_documented(document: &Value) -> BTreeSet<(String, String)> {
        let mut routes = BTreeSet::new();
        for (path, item) in document["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("a path item").keys() {
                if METHODS.contains(&method.as_str()) {
                    routes.insert((method.to_uppercase(), path.clone()));
                }
            }
        }
        routes
    }

    #[test]
    fn the_route_reader_reads_nested_routers_and_every_method_form() {
        let source = r#"
            let api = Router::new()
                .route("/a/{id}", get(x::a).post(x::b))
                .route("/b", axum::routing::delete(x::c))
                .route(
                    "/c",
                    get(x::d).options(x::e),
                );
            Router::new().route("/top", post(y)).nest("/api/v1", api)
        "#;
        let found: Vec<(String, String)> = routes_in(source).into_iter().collect();
        let expected = [
            ("DELETE", "/api/v1/b"),
            ("GET", "/api/v1/a/{id}"),
            ("GET", "/api/v1/c"),
            ("OPTIONS", "/api/v1/c"),
            ("POST", "/api/v1/a/{id}"),
            ("POST", "/top"),
        ];
        assert_eq!(
            found,
            expected.map(|(m, p)| (m.to_owned(), p.to_owned())).to_vec()
        );
    }

    /// The test that keeps the document in step: a route added to (or removed from) `app` fails
    /// here until `openapi.json` says the same.
    #[test]
    fn every_route_of_the_router_is_documented_and_nothing_else() {
        let code = routes_in(include_str!("lib.rs"));
        assert!(
            code.len() > 20,
            "the route reader found the routes: {code:?}"
        );
        let documented = routes_documented(&document());
        let missing: Vec<_> = code.difference(&documented).collect();
        assert!(
            missing.is_empty(),
            "routes of crates/numerek-server/src/lib.rs missing from the OpenAPI document \
             crates/numerek-server/src/openapi.json: {missing:?}. Describe each there: its \
             security (and x-numerek-role), parameters, body, success answer and every error \
             it can answer"
        );
        let extra: Vec<_> = documented.difference(&code).collect();
        assert!(
            extra.is_empty(),
            "the OpenAPI document describes routes the router does not have: {extra:?}"
        );
    }

    /// Every `$ref` of `value`, recursively.
    fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    out.push(target);
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_reference_resolves_and_every_operation_is_complete() {
        let document = document();
        assert_eq!(document["openapi"], "3.1.0");
        let mut targets = Vec::new();
        refs(&document, &mut targets);
        for target in targets {
            let pointer = target.strip_prefix('#').expect("a local reference");
            assert!(
                document.pointer(pointer).is_some(),
                "{target} does not resolve"
            );
        }
        let mut operation_ids = BTreeSet::new();
        for (path, item) in document["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("a path item") {
                let what = format!("{method} {path}");
                let id = operation["operationId"].as_str().expect("an operationId");
                assert!(operation_ids.insert(id.to_owned()), "{what}: {id} twice");
                let responses = operation["responses"].as_object().expect("responses");
                assert!(
                    responses
                        .keys()
                        .any(|status| status.starts_with('2') || status == "101"),
                    "{what} has a success answer"
                );
                let security = operation["security"]
                    .as_array()
                    .expect("security is explicit");
                let role = operation.get("x-numerek-role").and_then(Value::as_str);
                if security.is_empty() {
                    assert_eq!(role, None, "{what}: a public operation has no role");
                } else {
                    assert!(
                        matches!(role, Some("kiosk" | "clerk" | "manager" | "admin")),
                        "{what} names the least role it needs"
                    );
                    for status in ["401", "403"] {
                        assert!(responses.contains_key(status), "{what} lists {status}");
                    }
                }
                if operation.get("requestBody").is_some() {
                    for status in ["400", "413", "415"] {
                        assert!(responses.contains_key(status), "{what} lists {status}");
                    }
                }
                for path_parameter in path.split('/').filter(|p| p.starts_with('{')) {
                    assert!(
                        responses.contains_key("400") || !path.starts_with("/api/"),
                        "{what}: an undecodable {path_parameter} is a 400"
                    );
                }
            }
        }
    }
}
