"""``GET /persons/{name}`` on a real SQLite archive, filled by the real pipeline from the
invented reports of tests/fixtures/persons."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI

from archive import ingest
from archive.api import create_app
from archive.backends.sqlite import SqliteBackend
from archive.config import Settings
from archive.ingest import Outcome
from tests.conftest import FIXTURES

REPORTS = sorted((FIXTURES / "persons").glob("*.txt"))


class Client:
    """Requests to the application in-process, over httpx's ASGI transport (starlette's
    TestClient warns about its httpx dependency)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def get(self, path: str, params: dict[str, object] | None = None) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://archive") as c:
                return await c.get(path, params=params)

        return asyncio.run(call())


@pytest.fixture
def client(settings: Settings, backend: SqliteBackend) -> Client:
    results = ingest.ingest(REPORTS, backend, settings, consume=False)
    assert [r.outcome for r in results] == [Outcome.STORED] * len(REPORTS)
    return Client(create_app(settings, backend))


def ids_of(client: Client, query: str) -> set[str]:
    found = client.get("/search", params={"q": query, "limit": 50}).json()
    return {hit["id"] for hit in found["hits"]}


def test_a_chairman_over_the_years(client: Client) -> None:
    response = client.get("/persons/周明远")
    assert response.status_code == 200
    page = response.json()
    assert page["name"] == "周明远" and page["total"] >= 3 and page["capped"] is False
    group = page["groups"][0]
    assert "青禾集团" in group["orgs"]
    posts = {post["title"]: post for post in group["posts"]}
    chair = posts["董事长"]
    assert chair["first"]["date"] == "2022-01-18", "first seen at the 2022 work conference"
    assert len(chair["seen"]) >= 2
    chaired = group["meetings"]["chaired"]
    assert "2022-01-18" in [a["day"]["date"] for a in chaired]
    assert any("稳中求进" in d["directive"]["text"] for d in group["directives"])
    assert "韩立新" in [c["name"] for c in group["companions"]]


def test_the_inferred_year_is_marked(client: Client) -> None:
    (safety,) = ids_of(client, "安全生产工作会议")
    page = client.get("/persons/周明远").json()
    days = [
        sighting["day"]
        for group in page["groups"]
        for post in group["posts"]
        for sighting in post["seen"]
        if sighting["document_id"] == safety
    ]
    assert days and all(d["date"] == "2023-03-06" and d["year_inferred"] for d in days), (
        "the year of 3月6日 comes from 2023年度: inferred"
    )


def test_two_people_named_zhang_wei_stay_apart(client: Client) -> None:
    page = client.get("/persons/張偉").json()  # either script
    assert page["name"] == "张伟" and page["total"] == 4
    county = ids_of(client, "江岭县")
    group_docs = ids_of(client, "经营分析会")
    assert len(page["groups"]) >= 2
    for group in page["groups"]:
        documents = set(group["documents"])
        assert not (documents & county and documents & group_docs), "never merged"
    (qinghe,) = [g for g in page["groups"] if "青禾集团" in g["orgs"]]
    assert group_docs <= set(qinghe["documents"])


def test_unknown_person_is_a_404_in_the_error_shape(client: Client) -> None:
    response = client.get("/persons/欧阳无名")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "no person named '欧阳无名' in the archive"}
    }
    assert client.get("/persons/%20").status_code == 404, "a blank name is no person"
