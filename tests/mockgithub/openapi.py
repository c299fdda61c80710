"""GitHub's published OpenAPI description as a response validator for the mock's tests.

Validation uses ``jsonschema`` with the OpenAPI 3.0 dialect of ``openapi-schema-validator``
(``nullable``, OpenAPI's formats), resolving ``$ref`` inside the one 13 MB description through a
``referencing`` registry. Why not ``openapi-core``, which does the whole request/response
matching: measured on this machine (2 shared cores), ``openapi-core`` 0.23 needed 25 s to load
the description with its spec validation on, and 17-27 s to validate one page of 100 runs (about
20 s with spec validation off); the validator here loads it in 0.4 s and validates the same page
in 0.5 s, so every endpoint, success and error, fits in a test run. Formats are checked:
``date-time`` (rfc3339-validator) and ``uri`` (rfc3986-validator).

Each response is validated against its operation's entry for its status. GitHub's description
lists only some error statuses per operation and describes the errors every endpoint can answer
once, in ``components/responses`` (``not_found``, ``requires_authentication``, ...); a status the
operation does not list is validated against that shared component, and 429 and 502, which have
none, against GitHub's ``basic-error`` schema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import FormatChecker, validators
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

URI = "urn:github:api.github.com.json"
SHARED = {
    "304": "not_modified",
    "401": "requires_authentication",
    "403": "forbidden",
    "404": "not_found",
    "422": "validation_failed_simple",
    "500": "internal_error",
    "503": "service_unavailable",
}
BASIC_ERROR = {
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/basic-error"}}}
}
# jsonschema's format checkers ("uri" through rfc3986-validator, "date-time" through
# rfc3339-validator) plus the OpenAPI 3.0 dialect's own (int32, int64, byte, ...).
FORMATS = FormatChecker()
FORMATS.checkers.update(oas30_format_checker.checkers)


_ENUM = OAS30Validator.VALIDATORS["enum"]


def _nullable_enum(validator: Any, enums: Any, instance: Any, schema: dict[str, Any]) -> Any:
    """``nullable: true`` admits null even where an ``enum`` does not list it.

    GitHub's description writes ``{"type": "string", "nullable": true, "enum": [...]}`` without
    null for a job's ``conclusion``, which GitHub answers null while the job runs; the strict
    reading of OpenAPI 3.0.3 would reject every live job GitHub serves. GitHub's generated
    clients read it as "one of these, or null" (octokit's types, githubkit's models), and so
    does this validator.
    """
    if instance is None and schema.get("nullable") is True:
        return
    yield from _ENUM(validator, enums, instance, schema)


Validator = validators.extend(OAS30Validator, {"enum": _nullable_enum})


@dataclass(frozen=True)
class Exchange:
    """What the mock answered: enough to validate it."""

    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes


class Description:
    """One loaded OpenAPI description; validates responses of its operations."""

    def __init__(self, path: Path) -> None:
        self.document: dict[str, Any] = json.loads(path.read_bytes())
        self.version = str(self.document["info"]["version"])
        resource = Resource(contents=self.document, specification=DRAFT4)
        self._registry: Registry[Any] = Registry().with_resource(URI, resource)

    def operation(self, template: str | None, method: str) -> dict[str, Any] | None:
        """The operation at ``template`` (an OpenAPI path) and ``method``, if described."""
        found = self.document["paths"].get(template or "", {}).get(method.lower())
        return dict(found) if found is not None else None

    def response(
        self, template: str | None, method: str, status: int
    ) -> tuple[str, dict[str, Any]]:
        """``(JSON pointer, object)`` of the described response for ``status``: the operation's
        own, else the shared one. A path or method GitHub does not have at all answers 404
        everywhere, so it gets the shared responses too."""
        operation = self.operation(template, method)
        pointer = ""
        if operation is not None and str(status) in operation["responses"]:
            path, verb = _escape(template or ""), method.lower()
            pointer = f"#/paths/{path}/{verb}/responses/{status}"
        elif str(status) in SHARED:
            pointer = f"#/components/responses/{SHARED[str(status)]}"
        if not pointer:
            return "", BASIC_ERROR
        described = self._resolve(pointer)
        while "$ref" in described:
            pointer = described["$ref"]
            described = self._resolve(pointer)
        return pointer, described

    def errors(self, template: str | None, method: str, exchange: Exchange) -> list[str]:
        """Every way ``exchange`` departs from the description (empty: it conforms)."""
        pointer, described = self.response(template, method, exchange.status)
        problems = self._header_errors(described, exchange.headers)
        content = described.get("content")
        if not content:
            return problems + ([] if not exchange.body else ["a body where none is described"])
        media = exchange.headers.get("content-type", "").split(";")[0].strip()
        if media not in content:
            return [*problems, f"content-type {media!r} is not one of {sorted(content)}"]
        schema = content[media]["schema"]
        # Validate through a reference into the document, so the schema's own "#/..." refs
        # resolve against the whole description.
        where = schema.get("$ref") or f"{pointer}/content/{_escape(media)}/schema"
        validator = Validator(
            {"$ref": f"{URI}{where}"}, registry=self._registry, format_checker=FORMATS
        )
        found = validator.iter_errors(json.loads(exchange.body))
        return problems + [_describe(error) for error in found]

    def _header_errors(self, described: dict[str, Any], headers: Mapping[str, str]) -> list[str]:
        problems = []
        for name, spec in described.get("headers", {}).items():
            while "$ref" in spec:
                spec = self._resolve(spec["$ref"])
            value = headers.get(name.lower())
            if value is None:
                if spec.get("required"):
                    problems.append(f"header {name} is missing")
                continue
            if spec.get("schema", {}).get("type") == "integer" and not value.isdigit():
                problems.append(f"header {name}: {value!r} is not an integer")
        return problems

    def _resolve(self, ref: str) -> dict[str, Any]:
        node: Any = self.document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return dict(node)


def _escape(part: str) -> str:
    """A JSON pointer token (RFC 6901)."""
    return part.replace("~", "~0").replace("/", "~1")


def _describe(error: Any) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or "(body)"
    return f"{where}: {error.message[:200]}"
