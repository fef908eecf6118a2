"""Every HEADROOM_* variable is read in finance/settings.py, typed, and listed in the docs (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from finance import settings
from finance.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"\bHEADROOM_[A-Z_]+[A-Z]\b")


def _names_in(paths: list[Path]) -> set[str]:
    return {name for p in paths for name in NAME.findall(p.read_text(encoding="utf-8"))}


def test_every_variable_the_code_names_is_declared_in_settings() -> None:
    code = [*ROOT.glob("finance/**/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    code += [*ROOT.glob("tests/**/*.py"), *ROOT.glob("benchmarks/*.py"), ROOT / "run.sh"]
    assert _names_in(code) - {v.name for v in settings.VARIABLES} == set()


def test_only_the_settings_module_reads_them_from_the_environment() -> None:
    reads = re.compile(r"environ(?:\.get)?[\[(]\s*[\"']HEADROOM_|getenv\(\s*[\"']HEADROOM_")
    offenders = [
        str(p.relative_to(ROOT))
        for p in [*ROOT.glob("finance/**/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
        if reads.search(p.read_text(encoding="utf-8")) and p.name != "settings.py"
    ]
    assert offenders == []


def test_the_docs_list_every_variable_where_it_belongs() -> None:
    team = (ROOT / "docs" / "RUNNING-FOR-A-TEAM.md").read_text(encoding="utf-8")
    developing = (ROOT / "docs" / "DEVELOPING.md").read_text(encoding="utf-8")
    for v in settings.VARIABLES:
        row = f"| `{v.name}` |"
        assert row in (developing if v.test_only else team), v.name


def test_values_are_typed_and_unset_or_empty_means_the_default() -> None:
    empty = settings.read({})
    assert (empty.db, empty.official_dir, empty.debug, empty.upload_max_bytes(), empty.backup_schedule()) == (
        None,
        None,
        False,
        None,
        None,
    )
    s = settings.read(
        {
            "HEADROOM_DB": " data/x.duckdb ",
            "HEADROOM_OFFICIAL_DIR": "/srv/official",
            "HEADROOM_UPLOAD_MAX_MB": "2",
            "HEADROOM_BACKUP_DIR": "/srv/backups",
            "HEADROOM_BACKUP_KEEP": "3",
            "HEADROOM_DEBUG": "1",
            "HEADROOM_CONFIG": "",
        }
    )
    assert s.db == "data/x.duckdb" and s.official_dir == Path("/srv/official") and s.config is None and s.debug
    assert s.upload_max_bytes() == 2 * 1024 * 1024
    assert s.backup_schedule() == (Path("/srv/backups"), 24.0, 3)


@pytest.mark.parametrize(
    ("environ", "where"),
    [
        ({"HEADROOM_UPLOAD_MAX_MB": "lots"}, "HEADROOM_UPLOAD_MAX_MB"),
        ({"HEADROOM_UPLOAD_MAX_MB": "-1"}, "HEADROOM_UPLOAD_MAX_MB"),
        ({"HEADROOM_BACKUP_DIR": "/b", "HEADROOM_BACKUP_INTERVAL_H": "daily"}, "HEADROOM_BACKUP_INTERVAL_H/"),
        ({"HEADROOM_BACKUP_DIR": "/b", "HEADROOM_BACKUP_KEEP": "0"}, "HEADROOM_BACKUP_INTERVAL_H/"),
    ],
)
def test_a_bad_number_names_its_variable(environ: dict[str, str], where: str) -> None:
    s = settings.read(environ)
    with pytest.raises(InputError) as caught:
        s.upload_max_bytes() if "UPLOAD" in where else s.backup_schedule()
    assert caught.value.problems[0].where.startswith(where)
