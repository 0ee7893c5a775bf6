"""Static security analysis of our own code (issue "Proof at scale": no high-severity findings)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bandit_finds_nothing_of_medium_or_high_severity():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "--recursive",
            "portal",
            "applications",
            "--exclude",
            "*/migrations/*",
            "--severity-level",
            "medium",
            "--format",
            "json",
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    findings = [
        (finding["filename"], finding["line_number"], finding["test_id"], finding["issue_text"])
        for finding in json.loads(result.stdout)["results"]
    ]

    assert findings == []
