//! The OpenAPI 3.1 document of the whole API, served at `GET /api/v1/openapi.json`, generated
//! (with utoipa) from the route table and the wire types, never written by hand.
//!
//! Each handler's `#[utoipa::path]` says its method, path, parameters, body, success answer and
//! the errors it can give ([`answers`]); the schemas come from `numerek-api`'s types. What every
//! route of a kind shares is added here from the route table ([`crate::routes::table`]), from
//! the same facts the server acts on: a route's [`Access`] gives its `security`, the least role
//! it needs (`x-numerek-role`) and its 401 and 403 answers; the `Origin` check of writes and the
//! feed ([`crate::client::is_guarded`]) gives their `403 cross_origin`. The schemathesis fuzz test
//! (`crates/numerek/tests/it/hostile.rs`) runs the real server against this document.

pub mod answers;

use crate::auth::Access;
use crate::routes::Route;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;
use utoipa::openapi::path::{HttpMethod, Operation, Paths};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, LicenseBuilder, OpenApi, OpenApiBuilder};
use utoipa::{IntoParams, IntoResponses, PartialSchema, ToSchema};

/// The operation's tags: who a route is for.
pub mod tag {
    /// No token needed.
    pub const PUBLIC: &str = "public";
    /// Kiosk tokens (admin too).
    pub const KIOSK: &str = "kiosk";
    /// Clerk, manager and admin tokens.
    pub const COUNTER: &str = "counter";
    /// Manager and admin tokens.
    pub const REPORTS: &str = "reports";
    /// Admin tokens.
    pub const ADMIN: &str = "admin";
    /// Public, for any origin.
    pub const OPEN_DATA: &str = "open-data";
    /// Health and metrics.
    pub const OPERATIONS: &str = "operations";
    /// Web pages.
    pub const PAGES: &str = "pages";
}

/// The name of the bearer security scheme.
const BEARER: &str = "bearerAuth";

/// The extension naming the least role an operation needs.
pub const ROLE_EXTENSION: &str = "x-numerek-role";

/// The path parameter of routes about one ticket.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct TicketPath {
    /// A ticket id.
    #[param(example = "x1Yp3cSAmT0bNuLQ8WZk2w")]
    id: String,
}

/// The path parameter of routes about one booking.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct AppointmentPath {
    /// A booking code: 8 characters of `23456789ABCDEFGHJKLMNPQRSTUVWXYZ`, in either case.
    #[param(example = "7KQ2MWX9")]
    code: String,
}

/// The path parameter of a counter's routes.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct CounterPath {
    /// A counter id.
    #[param(example = "1")]
    id: String,
}

/// The path parameter of a token's route.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct TokenPath {
    /// A token id.
    #[param(example = "AAAAAAAAAAAA")]
    id: String,
}

/// The query of the feed. (Read by hand in `routes::events`: a `since` it cannot use means a
/// snapshot, not a 400.)
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct FeedQuery {
    /// The last `seq` the client has; the events after it are sent instead of a snapshot when
    /// the server still holds them. Any value it cannot serve (too old, in the future, not a
    /// number) gets a snapshot.
    #[param(minimum = 0, nullable = false)]
    since: Option<u64>,
    /// An access token secret, for a client that wants the staff feed (clerk, manager, admin:
    /// whole tickets) or its feed closed when its token is revoked (browsers cannot send an
    /// `Authorization` header with a WebSocket). It must be valid. A kiosk token gets the public
    /// feed. The `Authorization` header is ignored here.
    #[param(nullable = false)]
    token: Option<String>,
}

/// The query of the open-data document. (Read by hand in `routes::open_data`: parameters other
/// than `shape`, such as the Warsaw API's `id` and `apikey`, are ignored, and its errors take
/// Warsaw's shape.)
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct OpenDataQuery {
    /// Which of Warsaw's shapes: `2016` for that of 2015-2016; `2019` or `2020`, or none, for
    /// that of 2019-2020. Any other value, or `shape` twice, is a 400.
    #[param(pattern = "^(2016|2019|2020)$", example = "2016", nullable = false)]
    shape: Option<String>,
}

/// The header the QR code's address is made from.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct QrHost {
    /// Without `office.public_url`, the QR code leads to the host the request was sent to
    /// (`127.0.0.1` when it names none); a value that is not a host name or IP address with an
    /// optional port is refused (400). With `public_url`, it is ignored.
    #[param(
        rename = "Host",
        max_length = 260,
        pattern = r"^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$",
        example = "192.168.1.10:8080",
        nullable = false
    )]
    host: Option<String>,
}

/// `GET /api/v1/openapi.json`.
#[utoipa::path(
    get, path = "/api/v1/openapi.json", operation_id = "openapi", tag = tag::PUBLIC,
    summary = "This document",
    responses((
        status = 200, description = "The OpenAPI 3.1 document of the API.",
        body = Object, content_type = "application/json",
    )),
)]
pub async fn document() -> Response {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = TEXT.get_or_init(text);
    ([(header::CONTENT_TYPE, "application/json")], text.as_str()).into_response()
}

/// The document as served: [`build`] of the route table, as JSON.
pub fn text() -> String {
    // A document of plain values always becomes JSON.
    let mut document = serde_json::to_value(build(&crate::routes::table())).unwrap_or_default();
    join_description_lines(&mut document);
    document.to_string()
}

/// Joins the lines of every description into one paragraph (keeping blank-line breaks): utoipa
/// keeps the line breaks of the doc comments they come from, which are only wrapped text.
fn join_description_lines(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(text) if key == "description" => *text = unwrap_lines(text),
                    other => join_description_lines(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(join_description_lines),
        _ => {}
    }
}

/// `text` with its single line breaks as spaces.
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| paragraph.replace('\n', " "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The document of the routes `table`.
pub fn build(table: &[Route]) -> OpenApi {
    let mut paths = Paths::new();
    let mut components = ComponentsBuilder::new()
        .security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "`Authorization: Bearer nmk_…`: a token secret of 256 random bits. The \
                         operation's `x-numerek-role` names the least role it needs: admin may \
                         do everything, manager what a clerk does.",
                    ))
                    .build(),
            ),
        )
        .responses_from_iter(answers::components());
    // Types no operation names by itself: the error body the error answers narrow, the feed's
    // messages (sent over the WebSocket, not as an HTTP body) and the open-data document.
    for (name, schema) in [
        (
            numerek_api::ErrorBody::name(),
            numerek_api::ErrorBody::schema(),
        ),
        (
            numerek_api::FeedMessage::name(),
            numerek_api::FeedMessage::schema(),
        ),
        (
            numerek_api::WarsawQueues::name(),
            numerek_api::WarsawQueues::schema(),
        ),
        (
            numerek_api::WarsawQueues2016::name(),
            numerek_api::WarsawQueues2016::schema(),
        ),
        (
            numerek_api::WarsawError::name(),
            numerek_api::WarsawError::schema(),
        ),
    ] {
        components = components.schema(name, schema);
    }
    let mut schemas = Vec::new();
    numerek_api::ErrorBody::schemas(&mut schemas);
    numerek_api::FeedMessage::schemas(&mut schemas);
    numerek_api::WarsawQueues::schemas(&mut schemas);
    numerek_api::WarsawQueues2016::schemas(&mut schemas);
    for route in table {
        schemas.extend(route.schemas.iter().cloned());
        let mut operation = route.operation.clone();
        document_access(&mut operation, route.access, &route.method, &route.path);
        optional_body(&mut operation);
        paths.add_path_operation(&route.path, vec![route.method.clone()], operation);
    }
    components = components.schemas_from_iter(schemas);
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("numerek API")
                .version("1")
                .description(Some(
                    "The HTTP and WebSocket API of numerek, a queue-ticketing system for public \
                     offices. docs/api.md states the whole contract in prose (with a quickstart \
                     in docs/quickstart.md), docs/security.md the roles and limits. Every error \
                     answers `{\"error\": {\"code\", \"message\"}}`. Checks run in this order: \
                     authentication (401), role (403), rate limit (429), the request's form \
                     (415, 413, 400), the resources it names (404), the state it meets (409). An \
                     unknown path under /api/ is `404 not_found`; a method a path does not take \
                     is `405 method_not_allowed` with an `Allow` header. Every answer carries \
                     the security headers of docs/security.md.",
                ))
                .license(Some(
                    LicenseBuilder::new()
                        .name("EUPL-1.2")
                        .identifier(Some("EUPL-1.2"))
                        .build(),
                ))
                .build(),
        )
        .tags(Some([
            (tag::PUBLIC, "No token needed."),
            (tag::KIOSK, "Kiosk tokens (admin too)."),
            (tag::COUNTER, "Clerk, manager and admin tokens."),
            (tag::REPORTS, "Manager and admin tokens."),
            (tag::ADMIN, "Admin tokens."),
            (tag::OPEN_DATA, "Public, for any origin."),
            (
                tag::OPERATIONS,
                "Health (public) and metrics (a manager token, unless `office.metrics_public`).",
            ),
            (tag::PAGES, "Web pages, public."),
        ]
        .map(|(name, description)| {
            TagBuilder::new()
                .name(name)
                .description(Some(description))
                .build()
        })))
        .paths(paths)
        .components(Some(components.build()))
        .build()
}

/// Writes what a route's access and the `Origin` check say into its operation: `security` (an
/// empty list for a public route), `x-numerek-role`, and the 401 and 403 answers.
fn document_access(operation: &mut Operation, access: Access, method: &HttpMethod, path: &str) {
    let role = access.role();
    operation.security = Some(match role {
        Some(_) => vec![SecurityRequirement::new(BEARER, Vec::<String>::new())],
        None => Vec::new(),
    });
    if let Some(role) = role {
        operation
            .extensions
            .get_or_insert_with(Default::default)
            .insert(ROLE_EXTENSION.to_owned(), role.as_str().into());
        operation
            .responses
            .responses
            .extend(answers::Unauthorized::responses());
    }
    let guarded = crate::client::is_guarded(&http_method(method), path);
    let forbidden = match (role.is_some(), guarded) {
        (true, true) => answers::ForbiddenOrCrossOrigin::responses(),
        (true, false) => answers::Forbidden::responses(),
        (false, true) => answers::CrossOrigin::responses(),
        (false, false) => Default::default(),
    };
    operation.responses.responses.extend(forbidden);
}

/// utoipa writes an optional body (`request_body(content = Option<T>)`, the actions that take
/// none or `{}`) as a body of `T` or JSON `null`, which would tell clients that `null` is taken;
/// OpenAPI says it as a body of `T` that is not required.
fn optional_body(operation: &mut Operation) {
    use utoipa::openapi::schema::{Schema, SchemaType, Type};
    use utoipa::openapi::{RefOr, Required};
    let Some(RefOr::T(body)) = operation.request_body.as_mut() else {
        return;
    };
    let is_null = |schema: &RefOr<Schema>| {
        matches!(schema, RefOr::T(Schema::Object(object))
            if object.schema_type == SchemaType::Type(Type::Null))
    };
    let mut optional = false;
    for content in body.content.values_mut() {
        let RefOr::T(content) = content else { continue };
        if let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema
            && one_of.items.len() == 2
            && let Some(null) = one_of.items.iter().position(is_null)
        {
            content.schema = Some(one_of.items[1 - null].clone());
            optional = true;
        }
    }
    if optional {
        body.required = Some(Required::False);
    }
}

/// An OpenAPI method as HTTP's.
pub fn http_method(method: &HttpMethod) -> axum::http::Method {
    use axum::http::Method;
    match method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Post => Method::POST,
        HttpMethod::Delete => Method::DELETE,
        HttpMethod::Options => Method::OPTIONS,
        HttpMethod::Head => Method::HEAD,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Trace => Method::TRACE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::BTreeSet;

    fn document() -> Value {
        serde_json::from_str(&text()).expect("the document is JSON")
    }

    /// The router and the document are made from one table: every route is in the document,
    /// under its method and path, once, and nothing else is.
    #[test]
    fn the_document_describes_every_route_of_the_table_and_nothing_else() {
        let table = crate::routes::table();
        let routes: BTreeSet<(String, String)> = table
            .iter()
            .map(|route| {
                let method = http_method(&route.method).as_str().to_lowercase();
                (method, route.path.clone())
            })
            .collect();
        assert_eq!(routes.len(), table.len(), "a route is in the table twice");
        let document = document();
        let mut documented = BTreeSet::new();
        for (path, item) in document["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("a path item").keys() {
                documented.insert((method.clone(), path.clone()));
            }
        }
        assert_eq!(documented, routes);
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
        assert!(targets.len() > 100, "the document refers to its parts");
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
                assert!(operation["summary"].is_string(), "{what} has a summary");
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
                let role = operation.get(ROLE_EXTENSION).and_then(Value::as_str);
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
                if let Some(body) = operation.get("requestBody") {
                    for status in ["400", "413", "415"] {
                        assert!(responses.contains_key(status), "{what} lists {status}");
                    }
                    let schema = &body["content"]["application/json"]["schema"]["$ref"];
                    let name = schema.as_str().and_then(|s| s.rsplit('/').next());
                    let schema = &document["components"]["schemas"][name.expect("a body type")];
                    assert_eq!(
                        schema["additionalProperties"],
                        Value::Bool(false),
                        "{what}: the body is strict"
                    );
                }
                if path.starts_with("/api/") && path.contains('{') {
                    assert!(
                        responses.contains_key("400"),
                        "{what}: an undecodable path parameter is a 400"
                    );
                }
            }
        }
    }

    /// Every estimate comes with its range: a required field of the ticket and of a category's
    /// status, an array of exactly two seconds (null on a ticket that no longer waits).
    #[test]
    fn every_estimate_has_its_range_in_the_document() {
        let document = document();
        let schemas = &document["components"]["schemas"];
        let range = &schemas["WaitRange"];
        assert_eq!(range["type"], "array", "{range}");
        assert_eq!(
            (range["minItems"].as_u64(), range["maxItems"].as_u64()),
            (Some(2), Some(2))
        );
        for name in ["Ticket", "CategoryStatus"] {
            let text = schemas[name].to_string();
            assert!(text.contains("estimated_wait_s"), "{name}: {text}");
            assert!(
                text.contains("estimated_wait_range_s") && text.contains("WaitRange"),
                "{name} has estimated_wait_range_s next to estimated_wait_s: {text}"
            );
        }
        let status = &schemas["CategoryStatus"];
        assert!(
            status["required"]
                .as_array()
                .is_some_and(|r| r.contains(&Value::from("estimated_wait_range_s"))),
            "{status}"
        );
    }

    #[test]
    fn descriptions_read_as_one_paragraph_each() {
        assert_eq!(
            unwrap_lines("a doc comment\nof two lines\n\nand a paragraph"),
            "a doc comment of two lines\n\nand a paragraph"
        );
        let text = text();
        assert!(
            !text.contains("when\\nthe server"),
            "line breaks are joined"
        );
    }
}
