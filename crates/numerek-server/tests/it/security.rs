//! The defences of `docs/security.md` that live in the server's answers: the security headers on
//! every answer (pages, page resources, API, errors), a strict Content-Security-Policy, pages
//! without inline script, event handlers or `javascript:` addresses (so the policy never has to
//! allow them), a `Host` header that cannot make the QR code fail, and no personal data or token
//! detail in what the public sees (status, tickets, the feed, open data).

use crate::support;

use axum::body::Body;
use axum::http::{HeaderName, Method, Request, StatusCode, header};
use numerek_server::{CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY};
use numerek_store::Role;
use serde_json::{Value, json};
use support::{Answer, OFFICE, RunningServer, TestServer, recv};

/// Asserts the headers every answer carries.
#[track_caller]
fn assert_security_headers(answer: &Answer, what: &str) {
    let get = |name: &str| {
        answer
            .headers
            .get(HeaderName::from_bytes(name.as_bytes()).unwrap())
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("{what}: no {name} header"))
            .to_owned()
    };
    assert_eq!(
        get("content-security-policy"),
        CONTENT_SECURITY_POLICY,
        "{what}"
    );
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
    assert_eq!(get("referrer-policy"), "no-referrer", "{what}");
    assert_eq!(get("permissions-policy"), PERMISSIONS_POLICY, "{what}");
    assert_eq!(get("cross-origin-opener-policy"), "same-origin", "{what}");
    assert!(!get("cache-control").is_empty(), "{what}");
}

/// The directives of a policy: name → sources.
fn directives(policy: &str) -> Vec<(String, Vec<String>)> {
    policy
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut words = d.split_whitespace().map(str::to_owned);
            let name = words.next().expect("a directive name");
            (name, words.collect())
        })
        .collect()
}

#[test]
fn the_content_security_policy_is_strict() {
    let policy = directives(CONTENT_SECURITY_POLICY);
    let sources = |name: &str| -> Vec<String> {
        policy
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| panic!("the policy has {name}"))
    };
    assert_eq!(sources("default-src"), ["'self'"]);
    assert_eq!(
        sources("script-src"),
        ["'self'"],
        "no inline script, no eval"
    );
    assert_eq!(sources("style-src"), ["'self'"], "no inline style");
    assert_eq!(sources("object-src"), ["'none'"]);
    assert_eq!(sources("base-uri"), ["'none'"]);
    assert_eq!(sources("frame-ancestors"), ["'none'"], "no framing");
    assert_eq!(
        sources("connect-src"),
        ["'self'"],
        "the pages talk to numerek only"
    );
    for (name, sources) in &policy {
        for source in sources {
            assert!(
                !source.contains("unsafe") && source != "*" && !source.ends_with(':')
                    || source == "data:" && (name == "img-src" || name == "media-src"),
                "{name} allows {source}"
            );
        }
    }
    // The pages need none of these; the display's sound and speech need no permission.
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"] {
        assert!(
            PERMISSIONS_POLICY.contains(&format!("{feature}=()")),
            "{feature} is denied"
        );
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let h = TestServer::new().await;
    let ticket = h.issue("registration").await;
    let id = ticket["id"].as_str().unwrap().to_owned();
    let manager = Some(h.tokens.manager.as_str());
    let kiosk = Some(h.tokens.kiosk.as_str());
    let mut answers = vec![
        ("health", h.get("/healthz", None).await),
        ("metrics", h.get("/metrics", Some(&h.tokens.manager)).await),
        ("openapi", h.get("/api/v1/openapi.json", None).await),
        ("status", h.get("/api/v1/status", None).await),
        (
            "ticket",
            h.get(&format!("/api/v1/tickets/{id}"), None).await,
        ),
        ("qr", h.get(&format!("/t/{id}/qr.svg"), None).await),
        ("ticket page", h.get(&format!("/t/{id}"), None).await),
        ("open data", h.get("/api/v1/open-data/warsaw", None).await),
        (
            "preflight",
            h.raw(
                Method::OPTIONS,
                "/api/v1/open-data/warsaw",
                None,
                None,
                Body::empty(),
            )
            .await,
        ),
        (
            "csv report",
            h.get(
                "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&group_by=day&format=csv",
                manager,
            )
            .await,
        ),
        ("401", h.get("/api/v1/admin/tokens", None).await),
        ("403", h.get("/api/v1/admin/tokens", kiosk).await),
        ("api 404", h.get("/api/v1/nothing", None).await),
        ("page 404", h.get("/nothing", None).await),
        ("405", h.post_empty("/api/v1/status", None).await),
        (
            "413",
            h.post(
                "/api/v1/tickets",
                kiosk,
                &json!({"category": "x".repeat(20_000)}),
            )
            .await,
        ),
        ("redirect", h.get("/kiosk", None).await),
        ("feed without upgrade", h.get("/api/v1/events", None).await),
    ];
    for path in numerek_server::pages::asset_paths() {
        answers.push(("embedded file", h.get(path, None).await));
    }
    assert!(answers.len() > 30, "the embedded files are walked too");
    for (what, answer) in &answers {
        assert_security_headers(answer, what);
    }
    // API answers are not cached (pages are revalidated, open data cached for 5 s).
    for (what, answer) in &answers[..5] {
        if answer.status.is_success() && *what != "qr" {
            assert_eq!(
                answer.headers.get(header::CACHE_CONTROL).unwrap(),
                "no-store",
                "{what}"
            );
        }
    }
}

/// The insides of the `<tag …>`s of an HTML or SVG text, comments and declarations left out.
fn tags(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            let end = comment.find("-->").map_or(comment.len(), |end| end + 3);
            rest = &comment[end..];
            continue;
        }
        let Some(end) = after.find('>') else { break };
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

/// The element and attribute names of a tag's inside (`script type="module" src="/x.js"` →
/// `script`, `type`, `src`), values skipped, quoted or not.
fn attribute_names(tag: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = tag.chars().peekable();
    let skip_space = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
    };
    loop {
        skip_space(&mut chars);
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
            name.push(c);
        }
        skip_space(&mut chars);
        if chars.next_if_eq(&'=').is_some() {
            skip_space(&mut chars);
            match chars.peek().copied() {
                Some(quote @ ('"' | '\'')) => {
                    chars.next();
                    for c in chars.by_ref() {
                        if c == quote {
                            break;
                        }
                    }
                }
                _ => while chars.next_if(|c| !c.is_whitespace()).is_some() {},
            }
        }
        if !name.is_empty() {
            names.push(name.to_ascii_lowercase());
        } else if chars.next().is_none() {
            return names;
        }
    }
}

#[test]
fn the_tag_reader_finds_handlers_and_inline_scripts() {
    let page = r#"<!-- a <comment onclick="x"> --><p title="a b">x</p><button onclick="go()">x</button><script>alert(1)</script>
        <img src=x onerror = "y"><script type="module" src="/a.js"></script>"#;
    let found: Vec<Vec<String>> = tags(page).iter().map(|t| attribute_names(t)).collect();
    assert_eq!(found.len(), 9, "{found:?}");
    assert_eq!(found[6], ["img", "src", "onerror"]);
    assert!(
        found
            .iter()
            .any(|names| names.contains(&"onclick".to_owned()))
    );
    assert!(
        found
            .iter()
            .any(|names| names.contains(&"onerror".to_owned()))
    );
}

#[tokio::test]
async fn no_page_has_inline_script_event_handlers_or_javascript_addresses() {
    let h = TestServer::new().await;
    let mut scanned = 0;
    for path in numerek_server::pages::asset_paths() {
        let answer = h.get(path, None).await;
        answer.expect(StatusCode::OK);
        let text = answer.text.to_ascii_lowercase();
        assert!(
            !text.contains("javascript:"),
            "{path} has a javascript: address"
        );
        let markup = [".html", ".svg"].iter().any(|ext| path.ends_with(ext));
        if markup {
            for tag in tags(&answer.text) {
                let names = attribute_names(tag);
                let element = names.first().cloned().unwrap_or_default();
                if element == "script" {
                    assert!(
                        names.contains(&"src".to_owned()),
                        "{path}: an inline <{tag}>"
                    );
                }
                assert_ne!(element, "style", "{path}: an inline <style>");
                for name in &names[1..] {
                    assert!(
                        !name.starts_with("on"),
                        "{path}: an inline event handler in <{tag}>"
                    );
                    assert_ne!(name, "style", "{path}: an inline style in <{tag}>");
                }
            }
        }
        if path.ends_with(".js") {
            // What the policy forbids at run time (eval) and what would smuggle markup, and so
            // handlers, into a page: the pages build their DOM from text nodes.
            for forbidden in [
                "eval(",
                "new function(",
                "innerhtml",
                "outerhtml",
                "insertadjacenthtml",
                "document.write",
                "setattribute(\"on",
                "setattribute(\"style",
            ] {
                assert!(!text.contains(forbidden), "{path} uses {forbidden}");
            }
        }
        scanned += 1;
    }
    assert!(scanned > 20, "every embedded file is scanned ({scanned})");
}

#[tokio::test]
async fn a_hostile_host_header_cannot_break_the_qr_code() {
    let h = TestServer::new().await;
    let ticket = h.issue("registration").await;
    let path = format!("/t/{}/qr.svg", ticket["id"].as_str().unwrap());
    let qr = |host: String| {
        let request = Request::get(&path)
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        h.send(request)
    };
    for good in ["192.168.1.10:8080", "kolejka.example.pl", "[fd00::1]:80"] {
        let answer = qr(good.to_owned()).await;
        answer.expect(StatusCode::OK);
        assert!(answer.text.starts_with("<?xml") || answer.text.contains("<svg"));
    }
    // Once a 500: an address longer than a QR code holds.
    for bad in [
        "a".repeat(5000),
        "evil.example/phish?x=".to_owned(),
        "a b".to_owned(),
    ] {
        qr(bad)
            .await
            .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    // With public_url configured, the Host header plays no part.
    let office = OFFICE.replacen(
        "languages = [\"pl\", \"en\"]",
        "languages = [\"pl\", \"en\"]\npublic_url = \"https://kolejka.example.pl\"",
        1,
    );
    let h = TestServer::with_office(&office).await;
    let ticket = h.issue("registration").await;
    let request = Request::get(format!("/t/{}/qr.svg", ticket["id"].as_str().unwrap()))
        .header(header::HOST, "a".repeat(5000))
        .body(Body::empty())
        .unwrap();
    h.send(request).await.expect(StatusCode::OK);
}

/// Every string in a JSON value, recursively.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            out.push(k.clone());
            strings(v, out);
        }),
        _ => {}
    }
}

#[tokio::test]
async fn what_the_public_sees_names_no_person_and_no_token() {
    let h = TestServer::new().await;
    let server = RunningServer::start(h.state.clone()).await;
    let mut feed = server.connect(None).await;
    let snapshot = recv(&mut feed).await;
    assert_eq!(snapshot["type"], "snapshot");

    // A kiosk and a clerk whose labels name people, as an office might write them.
    let kiosk = h
        .store
        .create_token(Role::Kiosk, Some("Kiosk of Anna Nowak".into()), None)
        .await
        .unwrap();
    let clerk = h
        .store
        .create_token(Role::Clerk, Some("Jan Kowalski".into()), Some("1".into()))
        .await
        .unwrap();
    let ticket = h
        .post(
            "/api/v1/tickets",
            Some(&kiosk.secret),
            &json!({"category": "registration", "language": "en", "priority": true}),
        )
        .await
        .expect(StatusCode::CREATED)
        .clone();
    let called = h
        .post_empty("/api/v1/counters/1/call-next", Some(&clerk.secret))
        .await
        .expect(StatusCode::OK)
        .clone();
    let id = ticket["id"].as_str().unwrap();

    let mut public = vec![
        ticket.clone(),
        called,
        h.status().await,
        h.ticket(id).await,
        h.get("/api/v1/open-data/warsaw", None)
            .await
            .expect(StatusCode::OK)
            .clone(),
        h.get("/api/v1/office", None)
            .await
            .expect(StatusCode::OK)
            .clone(),
    ];
    for _ in 0..3 {
        public.push(recv(&mut feed).await);
    }
    let mut seen = Vec::new();
    public.iter().for_each(|value| strings(value, &mut seen));
    for secret_or_person in [
        kiosk.secret.as_str(),
        kiosk.record.id.as_str(),
        clerk.secret.as_str(),
        clerk.record.id.as_str(),
        "Anna",
        "Nowak",
        "Kowalski",
    ] {
        assert!(
            !seen.iter().any(|s| s.contains(secret_or_person)),
            "{secret_or_person} is shown to the public"
        );
    }
    // A ticket carries exactly the contract's fields: no language, no token, nothing else.
    let mut fields: Vec<&str> = ticket
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "called_at",
            "category",
            "counter",
            "estimated_wait_range_s",
            "estimated_wait_s",
            "feedback",
            "finished_at",
            "id",
            "issued_at",
            "number",
            "people_ahead",
            "priority",
            "state"
        ]
    );
    drop(feed);
    server.stop().await;
}
