"""SOURCE arguments: URLs from a real local HTTP server, directories of XML, hostile XML."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from tests.helpers import QuietHandler, http_server
from tests.served import free_port
from votes.errors import RecordError
from votes.importers import inputs as sources

OFFICIAL = Path(__file__).with_name("fixtures") / "official-xml"
XML_FILES = sorted(p.name for p in OFFICIAL.glob("*.xml"))
HTML_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><title>Roll Call 240 | Clerk</title></head>
<body><p>The page you requested has moved.</p></body></html>
"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rollcall-vote [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rollcall-vote><vote-metadata><vote-desc>&lol4;</vote-desc></vote-metadata></rollcall-vote>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE roll_call_vote [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<roll_call_vote><congress>108</congress><vote_title>&secret;</vote_title></roll_call_vote>
"""
EXTERNAL_PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE roll_call_vote [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<roll_call_vote/>
"""
ROUTES = {
    "/agent": (200, "text/plain", b""),  # answered with the User-Agent it was asked with
    "/page.html": (200, "text/html; charset=utf-8", HTML_PAGE),
    "/hostile.xml": (200, "application/xml", BILLION_LAUGHS),
    "/html-as-xml.xml": (200, "application/xml", HTML_PAGE),
}


class Handler(QuietHandler):
    """Serves the official-XML fixtures, plus a few canned answers."""

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        if self.path not in ROUTES:
            return super().do_GET()
        status, kind, body = ROUTES[self.path]
        body = self.headers.get("User-Agent", "").encode() if self.path == "/agent" else body
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with http_server(OFFICIAL, Handler) as base_url:
        yield base_url


def one(source: str):  # type: ignore[no-untyped-def]
    records = list(sources.records([source]))
    assert len(records) == 1
    return records[0]


def failure(source: str) -> str:
    with pytest.raises(RecordError) as e:
        list(sources.records([source]))
    assert "\n" not in str(e.value)
    return str(e.value)


@pytest.mark.parametrize("name", XML_FILES)
def test_url_gives_the_record_the_file_gives(server: str, name: str) -> None:
    from_url = one(f"{server}/{name}")
    assert from_url.origin == f"{server}/{name}"
    assert asdict(from_url) | {"origin": ""} == asdict(one(str(OFFICIAL / name))) | {"origin": ""}


def test_a_url_is_asked_for_with_the_projects_one_user_agent(server: str) -> None:
    from votes.importers import fetch

    assert sources.fetch(f"{server}/agent") == fetch.USER_AGENT.encode()  # as votes update
    assert fetch.USER_AGENT.startswith("votes/")


def test_url_404_is_one_line_naming_the_url(server: str) -> None:
    url = f"{server}/roll999.xml"
    assert failure(url) == f"{url}:-: HTTP 404 File not found"


def test_html_page_where_xml_was_expected(server: str) -> None:
    for path in ("/page.html", "/html-as-xml.xml"):
        url = server + path
        assert failure(url) == f"{url}:-: an HTML page, not a roll-call file (XML or JSON)"


def test_hostile_xml_from_a_url_is_refused(server: str) -> None:
    url = f"{server}/hostile.xml"
    assert failure(url) == (
        f"{url}:-: unsafe XML refused: it declares the entity 'lol' "
        "(entity expansion and external entities are not allowed)"
    )


def test_unreachable_server() -> None:
    url = f"http://127.0.0.1:{free_port()}/roll001.xml"
    assert failure(url).startswith(f"{url}:-: cannot fetch (")


@pytest.mark.parametrize(
    ("body", "entity"),
    [(BILLION_LAUGHS, "lol"), (EXTERNAL_ENTITY, "secret"), (EXTERNAL_PARAMETER, "remote")],
)
def test_entity_declarations_are_refused(tmp_path: Path, body: bytes, entity: str) -> None:
    path = tmp_path / "hostile.xml"
    path.write_bytes(body)
    assert failure(str(path)) == (
        f"{path}:-: unsafe XML refused: it declares the entity {entity!r} "
        "(entity expansion and external entities are not allowed)"
    )


def test_broken_and_foreign_xml(tmp_path: Path) -> None:
    broken, foreign = tmp_path / "broken.xml", tmp_path / "foreign.xml"
    broken.write_bytes(b"<?xml version='1.0'?>\n<roll_call_vote><congress>108</roll_call_vote>")
    foreign.write_bytes(b"<?xml version='1.0'?>\n<rss><channel/></rss>")
    assert failure(str(broken)) == (
        f"{broken}:-: not well-formed XML (mismatched tag: line 2, column 31)"
    )
    assert failure(str(foreign)) == (
        f"{foreign}:-: not a roll-call or bill file this importer knows"
    )


def test_directory_of_xml_in_path_order() -> None:
    ids = [r.id for r in sources.records([str(OFFICIAL)])]
    assert ids == [
        "h1-102.1991",
        "h300-114.2015",
        "h240-119.2025",
        "s172-108.2004",
        "s618-119.2025",
    ]
