"""Checks numerek adds to schemathesis's own when tests/hostile.rs fuzzes the API.

Loaded through SCHEMATHESIS_HOOKS. Every answer, whatever was sent:
- an error (4xx, 5xx) is JSON and exactly {"error": {"code": "snake_case", "message": "..."}},
  but for the open-data documents (/api/v1/open-data/), whose errors take the foreign format's
  own shape, {"result": "false", "error": "..."} (docs/open-data.md);
- it carries the security headers of docs/security.md.
"""

import json
import re

import schemathesis

CODE = re.compile(r"^[a-z][a-z_]*$")

# Header (lower case) -> what its value must contain.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=()",
}


def header(response, name):
    values = response.headers.get(name) or []
    return values[0] if values else None


@schemathesis.check
def numerek_error_body(ctx, response, case):
    """An error answers {"error": {"code", "message"}} and nothing else."""
    if response.status_code < 400:
        return None
    content_type = header(response, "content-type") or ""
    if not content_type.startswith("application/json"):
        raise AssertionError(
            f"error {response.status_code} is not JSON (Content-Type {content_type!r})"
        )
    try:
        body = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"error {response.status_code} has no JSON body: {error}")
    if open_data(case) and response.status_code == 400:
        return warsaw_error_body(response, body)
    error = body.get("error") if isinstance(body, dict) else None
    if (
        not isinstance(error, dict)
        or set(body) != {"error"}
        or set(error) != {"code", "message"}
        or not isinstance(error["code"], str)
        or not CODE.match(error["code"])
        or not isinstance(error["message"], str)
        or not error["message"].strip()
    ):
        raise AssertionError(
            f"error {response.status_code} is not {{\"error\": {{\"code\", \"message\"}}}}: {body!r}"
        )
    return None


def open_data(case):
    """Whether the request was for an open-data document."""
    return case.operation.path.startswith("/api/v1/open-data/")


def warsaw_error_body(response, body):
    """An open-data error as Warsaw writes them: {"result": "false", "error": "..."}."""
    if (
        not isinstance(body, dict)
        or set(body) != {"result", "error"}
        or body["result"] != "false"
        or not isinstance(body["error"], str)
        or not body["error"].strip()
    ):
        raise AssertionError(
            f"open-data error {response.status_code} is not "
            f"{{\"result\": \"false\", \"error\"}}: {body!r}"
        )
    return None


@schemathesis.check
def numerek_security_headers(ctx, response, case):
    """Every answer carries the security headers."""
    for name, expected in SECURITY_HEADERS.items():
        value = header(response, name)
        if value is None or expected not in value:
            raise AssertionError(f"{name} is {value!r}, expected it to contain {expected!r}")
    return None
