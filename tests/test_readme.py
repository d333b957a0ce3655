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


def test_the_layout_names_every_package_and_every_path_the_docs_give_exists():
    """README's Layout lists each package of src/rnnlab/; README and docs/ name files by
    path, and a file moved or renamed fails here rather than in a reader's hands."""
    readme = (ROOT / "README.md").read_text()
    layout = readme.split("## Layout", 1)[1]
    packages = [p.name for p in (ROOT / "src" / "rnnlab").iterdir() if (p / "__init__.py").exists()]
    unlisted = [name for name in packages if not re.search(rf"^  {name}/ ", layout, re.M)]
    assert not unlisted, f"README's Layout lacks src/rnnlab/{unlisted}"
    missing = []
    for page in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for path in re.findall(r"`((?:src|conf|tests|scripts|docs)/[\w/.-]+)`", page.read_text()):
            if not (ROOT / path).exists():
                missing.append(f"{page.name}: {path}")
    assert not missing, f"paths the docs name that do not exist: {missing}"
