"""Production settings are the defaults: no error details for users, XSRF on, an upload limit, loopback only,
and no secrets in the repository (only the example file)."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_streamlit_defaults_are_safe_for_a_council_network() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["enableXsrfProtection"] is True
    assert 0 < config["server"]["maxUploadSize"] <= 50
    assert config["server"]["address"] == "127.0.0.1"


def test_no_secrets_file_is_tracked_and_the_example_holds_placeholders() -> None:
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    tracked = subprocess.run(["git", "ls-files", ".streamlit"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "secrets.toml\n" not in tracked.stdout.replace(".streamlit/", "")
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8"))
    auth = example["auth"]
    assert {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"} <= set(auth)
    assert auth["cookie_secret"].startswith("replace") and auth["client_secret"].startswith("replace")
