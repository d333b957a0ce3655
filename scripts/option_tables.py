"""Write the README's option tables from the schema (src/rnnlab/config/), or check them.

    python scripts/option_tables.py           # rewrite README.md's generated blocks
    python scripts/option_tables.py --check   # exit 1, naming the blocks, if README differs

Each table sits between `<!-- options: <name> -->` and `<!-- end options -->`; edit the
schema's field comments, not the table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rnnlab.config.option_tables import readme_tables, rewrite, stale_blocks

README = Path(__file__).resolve().parents[1] / "README.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether README is current")
    args = parser.parse_args()
    text, tables = README.read_text(), readme_tables()
    if args.check:
        stale = stale_blocks(text, tables)
        if stale:
            print(
                f"README.md's option tables differ from the schema: {', '.join(stale)}; "
                "run python scripts/option_tables.py",
                file=sys.stderr,
            )
        return 1 if stale else 0
    README.write_text(rewrite(text, tables))
    return 0


if __name__ == "__main__":
    sys.exit(main())
