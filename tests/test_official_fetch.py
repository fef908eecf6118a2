"""fetch_official against a local http.server (loopback only) serving the shared copies, and offline."""

from __future__ import annotations

import functools
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from finance.cli import main
from finance.errors import InputError
from finance.official.catalogue import RELEASES
from finance.official.fetch import PublisherUnreachableError, fetch_official
from finance.store import sha256_file


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def server(official_source_dir: Path, shared_raw: Path, tmp_path: Path) -> Iterator[str]:
    """The shared copies of both folders (RS/RA and the 2024-25 outturn), served on loopback."""
    served = tmp_path / "served"
    served.mkdir()
    for folder in (official_source_dir, shared_raw / "la_outturn_2024-25_mhclg" / "source"):
        for path in folder.iterdir():
            (served / path.name).symlink_to(path)
    with _serve(served) as base:
        yield base


def _expected_sums(shared_raw: Path) -> dict[str, str]:
    sums: dict[str, str] = {}
    for folder in ("la_reserves_mhclg", "la_outturn_2024-25_mhclg"):
        lines = (shared_raw / folder / "SHA256SUMS.txt").read_text().splitlines()
        sums |= {Path(name).name: sha for sha, name in (line.split() for line in lines if line.strip())}
    return sums


def test_catalogue_hashes_are_the_shared_checksums(shared_raw: Path) -> None:
    sums = _expected_sums(shared_raw)
    tested = [r for r in RELEASES if r.sha256 is not None]
    assert len(tested) == 5
    for release in tested:
        assert release.file_name is not None and sums[release.file_name] == release.sha256
    known = [r for r in RELEASES if r.url is not None]
    assert all(r.url.startswith(("https://assets.publishing.service.gov.uk/", "https://www.gov.uk/")) for r in known)
    assert all(r.cited_in for r in known)
    assert len({r.file_name for r in known}) == len(known)


def test_every_release_from_2010_11_is_catalogued() -> None:
    held = {(r.dataset, r.financial_year) for r in RELEASES}
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(2010, 2025)]
    assert {("RS outturn", y) for y in years} <= held
    assert {("RSX outturn", y) for y in years} <= held
    assert {("RA budget", y) for y in years if y < "2023-24"} <= held
    assert {(f"RA budget {p}", y) for y in years if y >= "2023-24" for p in ("Part 1", "Part 2")} <= held
    assert all(r.layout for r in RELEASES)
    assert len(held) == len(RELEASES)


def test_fetch_downloads_the_tested_copies(server: str, tmp_path: Path, shared_raw: Path) -> None:
    dest = tmp_path / "official"
    reports = fetch_official(dest, base_url=server, timeout_s=10)
    assert len(reports) == len(RELEASES)
    sums = _expected_sums(shared_raw)
    for r in reports:
        if r.status == "no_address":  # catalogued, no cited address: listed, nothing requested
            assert r.file_name == "" and "place the file in the official folder" in r.warning
        elif r.expected_sha256 is None:  # not among the shared copies: the server answers 404
            assert r.status == "missing" and "404" in r.warning
            assert not (dest / r.file_name).exists()
        else:
            assert (r.status, r.warning) == ("downloaded", "")
            assert sha256_file(dest / r.file_name) == sums[r.file_name] == r.sha256
    assert not list(dest.glob("*.part")) and not list(dest.glob(".*"))
    again = fetch_official(dest, base_url=server, timeout_s=10)
    assert {r.status for r in again if r.expected_sha256} == {"present"}


def test_a_different_checksum_is_a_warning(official_source_dir: Path, tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    name = "RS_2016-17_data_by_LA.xlsx"
    (served / name).write_bytes((official_source_dir / name).read_bytes() + b"revised")
    with _serve(served) as base:
        reports = {r.file_name: r for r in fetch_official(tmp_path / "dl", base_url=base, timeout_s=10)}
    assert reports[name].status == "downloaded"
    assert "differs" in reports[name].warning
    assert reports[name].sha256 == sha256_file(tmp_path / "dl" / name)


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_offline_is_one_clean_error(tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(PublisherUnreachableError) as info:
        fetch_official(tmp_path / "dl", base_url=base, timeout_s=5)
    assert "cannot reach 127.0.0.1" in str(info.value)
    assert list((tmp_path / "dl").iterdir()) == []


def test_base_url_must_be_http(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="base-url"):
        fetch_official(tmp_path, base_url="file:///etc")


def test_cli_fetch_and_import(server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "h.duckdb")
    dest = tmp_path / "official"
    code = main(["--db", db, "fetch-official", "--dest", str(dest), "--base-url", server, "--import", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["status"] for r in out["fetched"]} == {"downloaded", "missing", "no_address"}
    assert sorted(r["financial_year"] for r in out["imported"]) == [
        "2015-16",
        "2016-17",
        "2017-18",
        "2023-24",
        "2024-25",
    ]
    assert {r["status"] for r in out["imported"]} == {"imported"}


def test_cli_fetch_offline_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = f"http://127.0.0.1:{_closed_port()}"
    args = ["--db", str(tmp_path / "h.duckdb"), "fetch-official", "--dest", str(tmp_path / "dl")]
    assert main([*args, "--base-url", base, "--timeout-s", "5"]) == 2
    err = capsys.readouterr().err
    assert "Cannot reach the publisher" in err and "Traceback" not in err


def test_copies_are_left_alone_when_present(server: str, tmp_path: Path, official_source_dir: Path) -> None:
    dest = tmp_path / "official"
    dest.mkdir()
    name = "RS_2023-24_data_by_LA.ods"
    shutil.copyfile(official_source_dir / name, dest / name)
    reports = {r.file_name: r for r in fetch_official(dest, base_url=server, timeout_s=10)}
    assert reports[name].status == "present"
