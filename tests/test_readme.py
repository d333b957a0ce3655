"""The README's commands are the ones CI runs, so a missing install step fails CI first."""

import re

from conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```bash\n(.+?)\n```", text)[:2]


def test_ci_runs_the_readme_test_command_verbatim():
    train_command, test_command = readme_commands()
    assert "python train.py model=lstm" in train_command
    assert "pytest" in test_command
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()
