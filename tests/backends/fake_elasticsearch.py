"""A stand-in for an Elasticsearch cluster, for the tests that check what the backend
sends. No Elasticsearch runs on this machine (no binary, no Docker engine), so this is a
real HTTP server on loopback that the real ``elasticsearch`` client talks to: it records
every request (method, path, query, body) and answers the few endpoints the backend uses
the way Elasticsearch 9 does. It does not search: searches answer no hits. Search
results themselves are checked by the conformance suite against a real cluster
(``ARCHIVE_ES_URL``).

``down`` makes every request answer 503, as a cluster that is starting or overloaded;
``refuse_ids`` makes the bulk endpoint reject those documents, as a mapping error would
(400), and ``busy_ids`` as a shard that is unavailable would (503).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def ndjson(self) -> list[Any]:
        return [json.loads(line) for line in self.body.decode().splitlines() if line]


@dataclass
class FakeCluster:
    requests: list[Request] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    """alias -> index"""
    indices: dict[str, dict[str, Any]] = field(default_factory=dict)
    """index -> {_id: source}"""
    down: bool = False
    refuse_ids: set[str] = field(default_factory=set)
    busy_ids: set[str] = field(default_factory=set)
    url: str = ""

    def sent(self, method: str, path_part: str) -> list[Request]:
        """The requests of ``method`` whose path holds ``path_part``."""
        return [r for r in self.requests if r.method == method and path_part in r.path]

    def documents_in(self, alias: str) -> dict[str, Any]:
        return self.indices.get(self.aliases.get(alias, alias), {})


class _Handler(BaseHTTPRequestHandler):
    cluster: FakeCluster

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        pass

    def _answer(self, status: int, body: Any = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        # The client refuses a server that does not say it is Elasticsearch.
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/vnd.elasticsearch+json;compatible-with=9")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        request = Request(self.command, parts.path, parse_qs(parts.query), body)
        self.cluster.requests.append(request)
        if self.cluster.down:
            error = {"type": "cluster_block_exception", "reason": "the cluster is starting"}
            self._answer(503, {"error": error, "status": 503})
            return
        status, answer = _route(self.cluster, request)
        self._answer(status, answer)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


def _route(cluster: FakeCluster, request: Request) -> tuple[int, Any]:
    path = request.path.strip("/").split("/")
    method = request.method
    if path == [""]:
        return 200, {"version": {"number": "9.5.1"}, "tagline": "You Know, for Search"}
    if path[0] == "_index_template":
        return 200, {"acknowledged": True}
    if path[0] == "_alias":
        name = path[1]
        if name not in cluster.aliases:
            return 404, {"error": f"alias [{name}] missing", "status": 404}
        return 200, {cluster.aliases[name]: {"aliases": {name: {}}}}
    if path[0] == "_aliases":
        for action in request.json()["actions"]:
            ((kind, target),) = action.items()
            if kind == "add":
                cluster.aliases[target["alias"]] = target["index"]
        return 200, {"acknowledged": True}
    if path[0] == "_bulk":
        return 200, _bulk(cluster, request.ndjson())
    if len(path) == 1 and method == "PUT":
        cluster.indices[path[0]] = {}
        return 200, {"acknowledged": True, "index": path[0]}
    if len(path) == 1 and method == "DELETE":
        for index in path[0].split(","):
            cluster.indices.pop(index, None)
        return 200, {"acknowledged": True}
    if path[1:] == ["_count"]:
        return 200, {"count": len(cluster.documents_in(path[0]))}
    if path[1:] == ["_search"]:
        return 200, {
            "took": 1,
            "timed_out": False,
            "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []},
            "aggregations": {},
        }
    if path[1:] in (["_delete_by_query"], ["_refresh"]):
        return 200, {"deleted": 0, "failures": [], "_shards": {"total": 1, "successful": 1}}
    if len(path) == 3 and path[1] == "_doc" and method == "DELETE":
        found = cluster.documents_in(path[0]).pop(path[2], None)
        return (200 if found else 404), {"result": "deleted" if found else "not_found"}
    return 400, {"error": f"the fake cluster does not know {method} {request.path}"}


def _bulk(cluster: FakeCluster, lines: list[Any]) -> dict[str, Any]:
    items = []
    for action, source in zip(lines[::2], lines[1::2], strict=True):
        meta = action["index"]
        index = cluster.aliases.get(meta["_index"], meta["_index"])
        document_id = meta["_id"].split("-")[0]
        if document_id in cluster.refuse_ids | cluster.busy_ids:
            status, error = (
                (400, {"type": "document_parsing_exception", "reason": "failed to parse [date]"})
                if document_id in cluster.refuse_ids
                else (503, {"type": "unavailable_shards_exception", "reason": "primary shard"})
            )
            items.append({"index": {"_index": index, "_id": meta["_id"], "status": status,
                                    "error": error}})  # fmt: skip
            continue
        cluster.indices.setdefault(index, {})[meta["_id"]] = source
        items.append({"index": {"_index": index, "_id": meta["_id"], "status": 201,
                                "result": "created"}})  # fmt: skip
    return {"took": 1, "errors": any("error" in i["index"] for i in items), "items": items}


class FakeElasticsearch:
    """``with FakeElasticsearch() as cluster:`` serves on 127.0.0.1 at ``cluster.url``."""

    def __enter__(self) -> FakeCluster:
        self.cluster = FakeCluster()
        handler = type("Handler", (_Handler,), {"cluster": self.cluster})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.cluster.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self.cluster

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
