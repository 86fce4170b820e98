"""Kibana's saved objects (mappings/kibana/*.ndjson) and ``archive.kibana.setup``.

No Kibana runs here, so the objects are checked against what Kibana needs to import them
(unique ids, references that resolve, fields that exist in the index templates) and
``setup`` talks real HTTP to a small stand-in: a ThreadingHTTPServer on 127.0.0.1 that
plays Kibana's ``/api/status`` and ``/api/saved_objects/_import`` and records every
request. The stand-in answers in the shape Kibana documents for the import API
(``success``, ``successCount``, ``successResults``, ``errors``); that Kibana 9 itself
accepts and renders the objects is not checked here.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from archive import kibana
from archive.errors import BackendError, BackendUnavailable

REPO = Path(__file__).resolve().parents[1]
MAPPINGS = REPO / "mappings"
NDJSON = MAPPINGS / "kibana" / "archive.ndjson"

# Which index template each data view reads, by the alias it is titled with.
TEMPLATES = {"archive": "archive-v3.json", "archive-directives": "archive-directives-v3.json"}
AGGREGATABLE = {"keyword", "integer", "long", "short", "byte", "date", "boolean", "double"}


def names(text: str) -> set[str]:
    return set(text.split())


# The attributes Kibana 9's schemas allow for searches, visualizations and dashboards (it
# refuses unknown ones); data views have no schema, so theirs are the usual few.
ALLOWED_ATTRIBUTES = {
    "index-pattern": names("title name timeFieldName fieldFormatMap runtimeFieldMap"),
    "search": names(
        "title description columns sort kibanaSavedObjectMeta grid hideChart isTextBasedQuery"
        " hits version"
    ),
    "visualization": names(
        "title description version kibanaSavedObjectMeta uiStateJSON visState savedSearchRefName"
    ),
    "dashboard": names(
        "title description kibanaSavedObjectMeta timeRestore timeFrom timeTo refreshInterval"
        " controlGroupInput panelsJSON optionsJSON hits version"
    ),
}


def load_objects() -> list[dict[str, Any]]:
    return [json.loads(line) for line in NDJSON.read_text(encoding="utf-8").splitlines()]


OBJECTS = load_objects()
BY_ID = {(o["type"], o["id"]): o for o in OBJECTS}


def of_type(kind: str) -> list[dict[str, Any]]:
    return [o for o in OBJECTS if o["type"] == kind]


def mapping_fields(properties: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Every field path of a mapping with its type: object and nested sub-properties and
    multi-fields (``title.keyword``) included."""
    fields: dict[str, str] = {}
    for name, spec in properties.items():
        path = f"{prefix}{name}"
        if "properties" in spec:
            fields[path] = spec.get("type", "object")
            fields.update(mapping_fields(spec["properties"], f"{path}."))
        else:
            fields[path] = spec["type"]
        for sub, sub_spec in spec.get("fields", {}).items():
            fields[f"{path}.{sub}"] = sub_spec["type"]
    return fields


def fields_of(data_view_id: str) -> dict[str, str]:
    title = BY_ID[("index-pattern", data_view_id)]["attributes"]["title"]
    template = json.loads((MAPPINGS / TEMPLATES[title]).read_text(encoding="utf-8"))
    return mapping_fields(template["template"]["mappings"]["properties"])


def index_of(obj: dict[str, Any]) -> str:
    """The data view id a search or visualization reads, through its indexRefName."""
    source = json.loads(obj["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
    (ref,) = [r for r in obj["references"] if r["name"] == source["indexRefName"]]
    assert ref["type"] == "index-pattern"
    return ref["id"]


# --------------------------------------------------------------------------- the file


def test_ndjson_parses_line_by_line() -> None:
    text = NDJSON.read_text(encoding="utf-8")
    assert text.endswith("\n")
    for number, line in enumerate(text.splitlines(), 1):
        obj = json.loads(line)
        assert isinstance(obj, dict), f"line {number} is not an object"
        assert {"type", "id", "attributes", "references"} <= obj.keys(), f"line {number}"


def test_every_object_has_a_unique_id() -> None:
    ids = [o["id"] for o in OBJECTS]
    assert len(ids) == len(set(ids))


def test_the_file_holds_what_the_dashboard_needs() -> None:
    assert len(of_type("index-pattern")) == 2
    assert len(of_type("search")) == 1
    assert len(of_type("visualization")) == 6
    assert len(of_type("dashboard")) == 1


def test_every_reference_points_to_an_object_in_the_file() -> None:
    for obj in OBJECTS:
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in BY_ID, f"{obj['id']} -> {ref}"


def test_attributes_are_those_kibana_accepts() -> None:
    for obj in OBJECTS:
        extra = obj["attributes"].keys() - ALLOWED_ATTRIBUTES[obj["type"]]
        assert not extra, f"{obj['type']}/{obj['id']}: {extra}"


def test_every_object_says_its_migration_version() -> None:
    # Kibana runs no migrations on an object without typeMigrationVersion; these were
    # written in the format of that version, so Kibana brings them up to date on import.
    for obj in OBJECTS:
        assert obj["coreMigrationVersion"] == "8.8.0"
        assert obj["typeMigrationVersion"]


def test_data_views_are_titled_with_the_aliases() -> None:
    views = {o["id"]: o["attributes"] for o in of_type("index-pattern")}
    assert {v["title"] for v in views.values()} == {"archive", "archive-directives"}
    assert views["archive-documents"]["title"] == "archive"
    assert views["archive-documents"]["name"] == "Archive: documents"
    assert views["archive-directives"]["title"] == "archive-directives"
    assert views["archive-directives"]["name"] == "Archive: directives"
    for view_id, attributes in views.items():
        assert not names("*,") & set(attributes["title"]), "an alias, not a pattern"
        assert fields_of(view_id)[attributes["timeFieldName"]] == "date"


def test_data_views_filter_time_on_the_timeline_every_document_has() -> None:
    # On `date`, an article whose year is unknown would drop out of every time-filtered
    # view; the backend gives every stored document a `timeline` (elasticsearch_requests).
    for view in of_type("index-pattern"):
        assert view["attributes"]["timeFieldName"] == "timeline", view["id"]
        fields = fields_of(view["id"])
        assert fields["date"] == "date", "the real date stays, to filter and chart on"
        assert fields["timeline_source"] == fields["year_source"] == "keyword"


def test_saved_search_columns_exist_in_the_mapping() -> None:
    (search,) = of_type("search")
    attributes = search["attributes"]
    assert attributes["title"] == "Archive: meetings"
    assert attributes["columns"] == [
        "title",
        "timeline",
        "timeline_source",
        "date",
        "year_source",
        "meeting.start_day",
        "meeting.type",
        "persons.name",
        "orgs",
        "source.filename",
    ]
    assert attributes["sort"] == [["timeline", "desc"]]
    fields = fields_of(index_of(search))
    assert index_of(search) == "archive-documents"
    for column in attributes["columns"]:
        assert column in fields, column


def test_visualization_fields_exist_and_aggregate() -> None:
    for vis in of_type("visualization"):
        state = json.loads(vis["attributes"]["visState"])
        assert state["title"] == vis["attributes"]["title"]
        fields = fields_of(index_of(vis))
        assert [a["schema"] for a in state["aggs"]][0] == "metric"
        for agg in state["aggs"]:
            name = agg["params"].get("field")
            if name is not None:
                assert name in fields, f"{vis['id']}: {name}"
                assert fields[name] in AGGREGATABLE, f"{vis['id']}: {name} is {fields[name]}"


def bucket_aggs(vis_id: str) -> list[dict[str, Any]]:
    state = json.loads(BY_ID[("visualization", vis_id)]["attributes"]["visState"])
    return [a for a in state["aggs"] if a["schema"] != "metric"]


def test_the_charts_aggregate_what_the_issue_asks() -> None:
    def buckets(vis_id: str) -> tuple[str, str, str, int | None]:
        vis = BY_ID[("visualization", vis_id)]
        agg = bucket_aggs(vis_id)[0]
        return index_of(vis), agg["type"], agg["params"]["field"], agg["params"].get("size")

    assert buckets("archive-meetings-per-year")[:3] == (
        "archive-documents",
        "date_histogram",
        "date",
    )
    assert buckets("archive-top-persons") == ("archive-documents", "terms", "persons.name", 20)
    assert buckets("archive-top-organizations") == ("archive-documents", "terms", "orgs", 20)
    assert buckets("archive-meeting-types")[:3] == ("archive-documents", "terms", "meeting.type")
    assert buckets("archive-directives-per-speaker") == (
        "archive-directives",
        "terms",
        "speaker",
        20,
    )
    assert buckets("archive-dating")[:3] == ("archive-documents", "terms", "timeline_source")


def test_inferred_and_unknown_years_are_visible_in_the_charts() -> None:
    _, by_year_source = bucket_aggs("archive-meetings-per-year")
    assert (by_year_source["schema"], by_year_source["params"]["field"]) == (
        "group",
        "year_source",
    ), "each year's bar is split: written, or where the year was inferred from"
    timeline_source, year_source = bucket_aggs("archive-dating")
    assert timeline_source["params"]["field"] == "timeline_source"
    assert year_source["params"]["field"] == "year_source"
    for agg in (by_year_source, timeline_source, year_source):
        assert agg["params"]["missingBucket"] is True, "documents without one are counted"


def test_dashboard_shows_the_charts_and_the_saved_search() -> None:
    (dashboard,) = of_type("dashboard")
    attributes = dashboard["attributes"]
    assert attributes["title"] == "Archive: meetings overview"
    assert attributes["timeRestore"] is True
    assert (attributes["timeFrom"], attributes["timeTo"]) == ("now-30y", "now")
    referenced = {(r["type"], r["id"]) for r in dashboard["references"]}
    wanted = {(o["type"], o["id"]) for o in of_type("visualization") + of_type("search")}
    assert referenced == wanted

    panels = json.loads(attributes["panelsJSON"])
    assert len(panels) == 7
    by_name = {r["name"]: r for r in dashboard["references"]}
    cells: set[tuple[int, int]] = set()
    for panel in panels:
        # Kibana finds a panel's object by the reference named "<panelIndex>:<panelRefName>".
        ref = by_name[f"{panel['panelIndex']}:{panel['panelRefName']}"]
        assert panel["type"] == ref["type"]
        grid = panel["gridData"]
        assert grid["i"] == panel["panelIndex"]
        assert grid["x"] >= 0 and grid["x"] + grid["w"] <= 48, "the dashboard is 48 wide"
        area = {
            (x, y)
            for x in range(grid["x"], grid["x"] + grid["w"])
            for y in range(grid["y"], grid["y"] + grid["h"])
        }
        assert not area & cells, f"panel {panel['panelIndex']} overlaps another"
        cells |= area


# --------------------------------------------------------------------------- setup


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    parts: dict[str, tuple[str | None, bytes]] = field(default_factory=dict)


class FakeKibana(ThreadingHTTPServer):
    """A stand-in for Kibana's status and import endpoints that records each request."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), KibanaHandler)
        self.requests: list[Request] = []
        self.statuses: list[int] = []
        """Status codes for /api/status, one per request; 200 once they run out."""
        self.import_answer: tuple[int, Any] | None = None
        """A fixed answer for the import; None answers success for every line posted."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class KibanaHandler(BaseHTTPRequestHandler):
    server: FakeKibana

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass

    def record(self, body: bytes = b"") -> Request:
        url = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(self.command, url.path, parse_qs(url.query), headers)
        if body:
            request.parts = multipart(self.headers["Content-Type"], body)
        self.server.requests.append(request)
        return request

    def answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        request = self.record()
        if request.path != "/api/status":
            return self.answer(404, {"statusCode": 404, "error": "Not Found"})
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.answer(status, {"status": {"overall": {"level": "available"}}})

    def do_POST(self) -> None:
        request = self.record(self.rfile.read(int(self.headers["Content-Length"])))
        if request.path != "/api/saved_objects/_import":
            return self.answer(404, {"statusCode": 404, "error": "Not Found"})
        if self.server.import_answer is not None:
            return self.answer(*self.server.import_answer)
        objects = [json.loads(line) for line in request.parts["file"][1].splitlines()]
        results = [
            {"type": o["type"], "id": o["id"], "meta": {"title": o["attributes"]["title"]}}
            for o in objects
        ]
        self.answer(200, {"success": True, "successCount": len(objects), "successResults": results})


def multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """The fields of a multipart/form-data body: name -> (filename, content)."""
    assert content_type.startswith("multipart/form-data")
    boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
    fields = {}
    for chunk in body.split(b"--" + boundary)[1:-1]:
        head, _, content = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n").partition(b"\r\n\r\n")
        disposition = next(
            line
            for line in head.decode().split("\r\n")
            if line.lower().startswith("content-disposition")
        )
        params = dict(
            part.strip().split("=", 1) for part in disposition.split(";")[1:] if "=" in part
        )
        name = params["name"].strip('"')
        filename = params["filename"].strip('"') if "filename" in params else None
        fields[name] = (filename, content)
    return fields


@pytest.fixture
def fake_kibana() -> Iterator[FakeKibana]:
    server = FakeKibana()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_saved_objects_files_are_found_beside_the_package(tmp_path: Path) -> None:
    assert kibana.saved_objects_files() == [NDJSON]
    (tmp_path / "b.ndjson").write_text("{}\n")
    (tmp_path / "a.ndjson").write_text("{}\n")
    (tmp_path / "notes.txt").write_text("not saved objects")
    assert kibana.saved_objects_files(tmp_path) == [tmp_path / "a.ndjson", tmp_path / "b.ndjson"]


def test_setup_imports_the_file_with_overwrite(fake_kibana: FakeKibana) -> None:
    report = kibana.setup(fake_kibana.url)
    assert report.success_count == len(OBJECTS)
    assert report.errors == []
    assert report.files == ["archive.ndjson"]
    (request,) = fake_kibana.requests
    assert (request.method, request.path) == ("POST", "/api/saved_objects/_import")
    assert request.query == {"overwrite": ["true"]}
    assert request.headers["kbn-xsrf"] == "true"
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert "authorization" not in request.headers
    filename, content = request.parts["file"]
    assert filename == "archive.ndjson"
    assert content == NDJSON.read_bytes()


def test_setup_sends_basic_auth(fake_kibana: FakeKibana) -> None:
    kibana.setup(fake_kibana.url + "/", username="elastic", password="s3cret")
    (request,) = fake_kibana.requests
    assert request.path == "/api/saved_objects/_import"
    expected = base64.b64encode(b"elastic:s3cret").decode()
    assert request.headers["authorization"] == f"Basic {expected}"


def test_setup_sends_the_api_key(fake_kibana: FakeKibana) -> None:
    key = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
    kibana.setup(fake_kibana.url, api_key=key)
    (request,) = fake_kibana.requests
    assert request.headers["authorization"] == f"ApiKey {key}"


def test_setup_refuses_two_kinds_of_credentials(fake_kibana: FakeKibana) -> None:
    with pytest.raises(ValueError, match="not both"):
        kibana.setup(fake_kibana.url, username="elastic", password="x", api_key="key")
    assert fake_kibana.requests == []


def test_setup_imports_the_files_it_is_given(fake_kibana: FakeKibana, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ndjson"
    extra.write_text(NDJSON.read_text(encoding="utf-8").splitlines()[0] + "\n")
    report = kibana.setup(fake_kibana.url, files=[NDJSON, extra])
    assert report.files == ["archive.ndjson", "extra.ndjson"]
    assert report.success_count == len(OBJECTS) + 1
    assert [r.parts["file"][0] for r in fake_kibana.requests] == report.files


def test_setup_waits_for_kibana_to_be_ready(
    fake_kibana: FakeKibana, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kibana, "POLL_SECONDS", 0.01)
    fake_kibana.statuses = [503, 503]
    kibana.setup(fake_kibana.url, wait=30, username="elastic", password="s3cret")
    assert [(r.method, r.path) for r in fake_kibana.requests] == [("GET", "/api/status")] * 3 + [
        ("POST", "/api/saved_objects/_import")
    ]
    assert all(r.headers["authorization"].startswith("Basic ") for r in fake_kibana.requests)


def test_setup_gives_up_when_kibana_stays_unready(
    fake_kibana: FakeKibana, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kibana, "POLL_SECONDS", 0.01)
    fake_kibana.statuses = [503] * 1000
    with pytest.raises(BackendUnavailable) as caught:
        kibana.setup(fake_kibana.url, wait=0.2)
    assert fake_kibana.url in str(caught.value) and "503" in str(caught.value)
    assert all(r.path == "/api/status" for r in fake_kibana.requests)


def test_setup_does_not_wait_for_wrong_credentials(fake_kibana: FakeKibana) -> None:
    fake_kibana.statuses = [401]
    with pytest.raises(BackendError) as caught:
        kibana.setup(fake_kibana.url, wait=30)
    assert not isinstance(caught.value, BackendUnavailable)
    assert "401" in str(caught.value)


@pytest.mark.parametrize("wait", [0.0, 0.2])
def test_unreachable_kibana_is_unavailable(wait: float, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kibana, "POLL_SECONDS", 0.01)
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(BackendUnavailable) as caught:
        kibana.setup(url, wait=wait, timeout=2)
    message = str(caught.value)
    assert url in message
    assert "\n" not in message
    assert caught.value.transient


def test_failed_import_names_the_object(fake_kibana: FakeKibana) -> None:
    fake_kibana.import_answer = (
        200,
        {
            "success": False,
            "successCount": len(OBJECTS) - 1,
            "errors": [
                {
                    "id": "archive-directives-per-speaker",
                    "type": "visualization",
                    "meta": {"title": "Archive: directives per speaker", "icon": "visualizeApp"},
                    "error": {
                        "type": "missing_references",
                        "references": [{"type": "index-pattern", "id": "archive-directives"}],
                    },
                }
            ],
        },
    )
    with pytest.raises(BackendError) as caught:
        kibana.setup(fake_kibana.url)
    assert not isinstance(caught.value, BackendUnavailable)
    message = str(caught.value)
    assert "visualization/archive-directives-per-speaker: missing_references" in message
    assert "index-pattern/archive-directives" in message
    assert fake_kibana.url in message and "archive.ndjson" in message


def test_kibana_refusing_the_request_is_a_backend_error(fake_kibana: FakeKibana) -> None:
    fake_kibana.import_answer = (
        401,
        {
            "statusCode": 401,
            "error": "Unauthorized",
            "message": "[security_exception]: unable to authenticate user [elastic]",
        },
    )
    with pytest.raises(BackendError) as caught:
        kibana.setup(fake_kibana.url, username="elastic", password="wrong")
    assert not isinstance(caught.value, BackendUnavailable)
    assert "401" in str(caught.value) and "unable to authenticate" in str(caught.value)


def test_kibana_still_starting_is_unavailable(fake_kibana: FakeKibana) -> None:
    fake_kibana.import_answer = (
        503,
        {
            "statusCode": 503,
            "error": "Service Unavailable",
            "message": "Kibana server is not ready yet",
        },
    )
    with pytest.raises(BackendUnavailable, match="not ready yet"):
        kibana.setup(fake_kibana.url)
