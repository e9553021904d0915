"""The OpenAPI document: valid OpenAPI 3.0, every error as problem+json, and enough for a
client that knows nothing of the API but the document to publish a portfolio and run a check.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator, oas30_format_checker
from openapi_spec_validator import OpenAPIV30SpecValidator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from api import create_app
from tests.builders import portfolio, project

METHODS = ("get", "put", "post", "patch", "delete")
PROBLEM = "application/problem+json"
PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}

# The one error that is not a problem: health answers 503 with its own body, so that a
# load balancer reads the same fields whether the database is up or down.
HEALTH_DOWN = ("get", "/api/v1/health", "503")

# Operations whose path names something that need not exist yet, so they never say 404.
CREATES_AT_PATH = {"set_sector_themes": "maps any well-formed DAC sector code"}


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The document as served; it does not depend on the database, so one app serves it."""
    database = tmp_path_factory.mktemp("openapi") / "unused.db"
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{database}"})
    try:
        body: dict[str, Any] = app.test_client().get("/api/v1/openapi.json").json
    finally:
        app.extensions["ecosystem.engine"].dispose()
    return body


def operations(document: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def resolved(document: Mapping[str, Any], node: Mapping[str, Any]) -> dict[str, Any]:
    """A response (or other object) with its local ``$ref`` followed."""
    while "$ref" in node:
        found: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            found = found[part]
        node = found
    return dict(node)


# --- the document itself -------------------------------------------------------------------


def test_the_document_validates_as_openapi_3_0(document):
    assert document["openapi"].startswith("3.0.")
    assert [error.message for error in OpenAPIV30SpecValidator(document).iter_errors()] == []


def test_the_document_describes_the_publishing_endpoints(document):
    assert "put" in document["paths"]["/api/v1/organisations/{org}/portfolio"]
    assert "Project" in document["components"]["schemas"]


def test_every_operation_has_an_id_from_its_view(document):
    ids = {path: op["operationId"] for method, path, op in operations(document) if method == "put"}
    assert ids["/api/v1/organisations/{org}/portfolio"] == "publish_portfolio"
    assert document["paths"]["/api/v1/overlaps/check"]["post"]["operationId"] == "check_draft"
    assert document["paths"]["/api/v1/groups/{group_id}"]["patch"]["operationId"] == (
        "patch_group_item"
    )


def test_every_operation_documents_a_success_with_a_body_or_204(document):
    for method, path, operation in operations(document):
        successes = {
            code: resolved(document, response)
            for code, response in operation["responses"].items()
            if code.startswith("2")
        }
        assert successes, (method, path)
        for code, response in successes.items():
            assert code == "204" or response.get("content"), (method, path, code)


def test_every_error_response_is_a_problem(document):
    for method, path, operation in operations(document):
        for code, response in operation["responses"].items():
            if code.startswith(("1", "2", "3")) or (method, path, code) == HEALTH_DOWN:
                continue
            content = resolved(document, response).get("content")
            assert content == {PROBLEM: {"schema": PROBLEM_SCHEMA}}, (method, path, code)


def test_health_documents_its_own_body_when_the_database_is_down(document):
    down = document["paths"]["/api/v1/health"]["get"]["responses"]["503"]
    assert down["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Health"}


def test_a_401_names_the_scheme_to_use(document):
    unauthorised = document["components"]["responses"]["UNAUTHORIZED"]
    assert "WWW-Authenticate" in unauthorised["headers"]


def test_writes_document_401_and_bodies_their_400_413_422(document):
    for method, path, operation in operations(document):
        codes = set(operation["responses"])
        if method != "get":
            assert "401" in codes, (method, path)
        body = operation.get("requestBody", {}).get("content", {})
        if body:
            assert {"413", "422"} <= codes, (method, path)
        if "application/json" in body:
            assert "400" in codes, (method, path)


def test_a_path_naming_something_documents_404(document):
    for method, path, operation in operations(document):
        parameters = document["paths"][path].get("parameters", []) + operation.get("parameters", [])
        names_something = any(p["in"] == "path" and "enum" not in p["schema"] for p in parameters)
        if names_something and operation["operationId"] not in CREATES_AT_PATH:
            assert "404" in operation["responses"], (method, path)


def test_no_parameter_is_form_data_and_no_array_defaults_to_a_string(document):
    for method, path, operation in operations(document):
        for parameter in operation.get("parameters", []):
            assert parameter["in"] != "formData", (method, path, parameter["name"])
            schema = parameter.get("schema", {})
            if schema.get("type") == "array":
                assert not isinstance(schema.get("default"), str), (method, path, parameter)


# --- a client that knows only the document ---------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: Mapping[str, str]


class DocumentClient:
    """A client that knows the API only through its OpenAPI document.

    It finds an operation by its ``operationId``, builds the URL from the path template and
    the documented parameters (arrays comma-separated where the document says
    ``explode: false``), checks the JSON body against the request schema, sends it, and
    checks the answer against the response the document gives for that very status: its
    media type and its schema. A status the operation does not name fails.
    """

    def __init__(self, document: Mapping[str, Any], transport: FlaskClient) -> None:
        self.document = document
        self.transport = transport
        self.registry: Registry[Any] = Registry().with_resource(
            "urn:openapi", Resource.from_contents(document, default_specification=DRAFT4)
        )

    def call(
        self,
        operation_id: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        **arguments: Any,
    ) -> Answer:
        path, method, operation = self._operation(operation_id)
        parameters = self.document["paths"][path].get("parameters", []) + operation.get(
            "parameters", []
        )
        unknown = set(arguments) - {p["name"] for p in parameters}
        assert not unknown, f"{operation_id} takes no {sorted(unknown)}"
        if body is not None:
            self._check_request(path, method, body)
        response = self.transport.open(
            self._url(path, parameters, arguments),
            method=method.upper(),
            json=body,
            query_string=self._query(parameters, arguments),
            headers=dict(headers or {}),
        )
        answer = Answer(
            response.status_code,
            response.get_json(silent=True) if response.data else None,
            dict(response.headers),
        )
        self._check_response(path, method, operation, answer, response.mimetype)
        return answer

    def _operation(self, operation_id: str) -> tuple[str, str, dict[str, Any]]:
        for method, path, operation in operations(self.document):
            if operation.get("operationId") == operation_id:
                return path, method, operation
        raise LookupError(f"no operation {operation_id!r} in the document")

    @staticmethod
    def _url(path: str, parameters: list[dict[str, Any]], arguments: Mapping[str, Any]) -> str:
        url = path
        for parameter in parameters:
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", str(arguments[parameter["name"]]))
        return url

    @staticmethod
    def _query(parameters: list[dict[str, Any]], arguments: Mapping[str, Any]) -> dict[str, Any]:
        query: dict[str, Any] = {}
        for parameter in parameters:
            name = parameter["name"]
            if parameter["in"] != "query" or name not in arguments:
                continue
            value = arguments[name]
            if isinstance(value, list) and parameter.get("explode") is False:
                value = ",".join(map(str, value))
            query[name] = value
        return query

    def _check_request(self, path: str, method: str, body: Any) -> None:
        pointer = f"/paths/{_escape(path)}/{method}/requestBody/content/application~1json/schema"
        self._validate(OAS30WriteValidator, pointer, body, f"{method} {path} request")

    def _check_response(
        self, path: str, method: str, operation: dict[str, Any], answer: Answer, mimetype: str
    ) -> None:
        where = f"{method} {path} → {answer.status}"
        documented = operation["responses"].get(str(answer.status))
        assert documented is not None, f"{where} is not documented"
        pointer = f"/paths/{_escape(path)}/{method}/responses/{answer.status}"
        if "$ref" in documented:
            pointer = documented["$ref"].removeprefix("#")
        content = resolved(self.document, documented).get("content", {})
        if not content:
            assert answer.body is None, f"{where} has a body the document does not describe"
            return
        assert mimetype in content, f"{where} is {mimetype}, documented {sorted(content)}"
        schema = f"{pointer}/content/{_escape(mimetype)}/schema"
        self._validate(OAS30ReadValidator, schema, answer.body, where)

    def _validate(self, validator: Any, pointer: str, instance: Any, where: str) -> None:
        checker = validator(
            {"$ref": f"urn:openapi#{pointer}"},
            registry=self.registry,
            format_checker=oas30_format_checker,
        )
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in checker.iter_errors(instance)]
        assert errors == [], f"{where} does not match the document"


def _escape(segment: str) -> str:
    """One JSON-pointer segment (RFC 6901)."""
    return segment.replace("~", "~0").replace("/", "~1")


KOL = dict(
    title="Telemedicinsk hjemmemonitorering af borgere med KOL",
    description="Borgere med svær KOL får tablet og måleudstyr (saturation, puls) og følges af "
    "hjemmesygeplejen i samarbejde med lungemedicinsk afdeling for at undgå indlæggelser.",
    themes=["T2.1", "T13"],
    target_groups=["kol"],
)
KOL_OTHER_WORDS = dict(
    title="Tele-KOL: virtuel opfølgning efter udskrivelse",
    description="Patienter med kronisk obstruktiv lungesygdom monitoreres i hjemmet med målinger af "
    "iltmætning og puls, og sygeplejersker følger op via video for at forebygge genindlæggelse.",
    themes=["T2", "T13"],
    target_groups=["kol"],
)
ANXIETY = dict(
    title="Angstbehandling i grupper for unge",
    description="Kognitiv gruppeterapi for unge mellem 15 og 25 år med angst.",
    themes=["T4"],
)


@pytest.mark.usefixtures("reference_data")
def test_a_client_from_the_document_publishes_a_portfolio_and_checks_a_draft(
    client, token_for, document
):
    api = DocumentClient(document, client)
    cards = [project("KOL-1", areas=["0751"], **KOL), project("PSYK-1", **ANXIETY)]
    published = api.call(
        "publish_portfolio",
        org="kommune-aarhus",
        body=portfolio("kommune-aarhus", *cards),
        headers=token_for("kommune-aarhus"),
    )
    assert (published.status, sorted(published.body["created"])) == (200, ["KOL-1", "PSYK-1"])

    back = api.call("read_portfolio", org="kommune-aarhus")
    assert sorted(p["external_id"] for p in back.body["projects"]) == ["KOL-1", "PSYK-1"]
    listed = api.call("list_projects", theme=["T2", "T13"], stage=["pilot"])
    assert [p["external_id"] for p in listed.body["items"]] == ["KOL-1"]

    check = api.call("check_draft", body={**KOL_OTHER_WORDS, "organisation": "kommune-aalborg"})
    assert check.status == 200
    assert [m["project"]["external_id"] for m in check.body["matches"]] == ["KOL-1"]
    own = api.call("project_overlaps", project_id=check.body["matches"][0]["project"]["id"])
    assert own.status == 200


@pytest.mark.usefixtures("reference_data")
def test_the_client_meets_the_problems_the_document_names(client, token_for, document):
    api = DocumentClient(document, client)
    body = portfolio("kommune-aarhus", project("KOL-1", **KOL))
    anonymous = api.call("publish_portfolio", org="kommune-aarhus", body=body)
    assert anonymous.status == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    aalborg = token_for("kommune-aalborg")
    other = api.call("publish_portfolio", org="kommune-aarhus", body=body, headers=aalborg)
    assert other.status == 403
    missing = api.call("get_organisation_project", org="kommune-aarhus", external_id="NOPE")
    assert missing.status == 404
    unknown_code = api.call("check_draft", body={**KOL, "themes": ["T99"]})
    assert unknown_code.status == 422
    assert unknown_code.body["errors"][0]["field"] == "themes[0]"
    admin = token_for(admin=True)
    taken = {"code": "T2", "label_da": "Igen", "label_en": "Again"}
    assert api.call("post_theme_collection", body=taken, headers=admin).status == 409
    assert api.call("withdraw_project", org="kommune-aarhus", external_id="KOL-1").status == 401
