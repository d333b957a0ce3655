"""The README's option tables, written from the schema: each key's default from its field,
what is allowed from its type (or the comment's `allowed:` line), its meaning from the
comment beside it. scripts/option_tables.py rewrites the README's generated blocks, and a
test fails when they differ from what the schema says now."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import io
import re
import textwrap
import tokenize
import typing
from collections import Counter
from functools import cache
from typing import Any

from omegaconf import MISSING

from rnnlab.config.choices import Choice
from rnnlab.config.keys import OWN_MODULE

ALLOWED = "allowed:"
NOT_A_MEANING = ("fmt:", "type:", "noqa")  # tool directives, not prose
BLOCK = re.compile(r"(<!-- options: (\w+) -->\n).*?(<!-- end options -->)", re.S)


@cache
def field_comments(schema: type) -> dict[str, list[str]]:
    """{field: comment lines} for the fields `schema` itself declares: the comment lines just
    above each field and the one on its line."""
    source = textwrap.dedent(inspect.getsource(schema))
    body = ast.parse(source).body[0].body  # type: ignore[attr-defined]
    comments: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string.lstrip("#").strip()
    lines = source.splitlines()
    notes: dict[str, list[str]] = {}
    for node in body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            continue
        above, line = [], node.lineno - 1
        while line in comments and lines[line - 1].lstrip().startswith("#"):
            above.insert(0, comments[line])
            line -= 1
        beside = [comments[n] for n in range(node.lineno, node.end_lineno + 1) if n in comments]
        text = [c for c in above + beside if c and not c.startswith(NOT_A_MEANING)]
        if text:
            notes[node.target.id] = text
    return notes


def docstring(schema: type) -> str:
    """The class's own docstring (not the signature dataclasses writes when there is none)."""
    node = ast.parse(textwrap.dedent(inspect.getsource(schema))).body[0]
    return " ".join((ast.get_docstring(node) or "").split())  # type: ignore[arg-type]


def comment_of(schema: type, name: str) -> tuple[type, list[str]] | None:
    """The nearest class in schema's bases that says what field `name` means, and what."""
    for owner in schema.__mro__:
        if dataclasses.is_dataclass(owner) and name in field_comments(owner):
            return owner, field_comments(owner)[name]
    return None


def meaning_and_allowed(lines: list[str]) -> tuple[str, str | None]:
    allowed = [line[len(ALLOWED) :].strip() for line in lines if line.startswith(ALLOWED)]
    prose = " ".join(line for line in lines if not line.startswith(ALLOWED))
    return prose, allowed[0] if allowed else None


def default_of(field: dataclasses.Field) -> Any:
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return field.default


def shown(value: Any, prefix: str) -> str:
    """A default as it is typed on the command line; an interpolation as the key it copies."""
    if value is MISSING:
        return "required"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str) and value.startswith("${"):
        copied = value[2:-1]  # ${seed}: the key seed; ${.season}: season beside this key
        return f"= `{prefix}{copied}`" if copied.startswith(".") else f"= `{copied}`"
    return str(value) if not isinstance(value, (list, dict)) else str(value).replace("'", "")


def allowed_by_type(hint: Any) -> str:
    """What the field's type lets through, in words."""
    args = typing.get_args(hint)
    if type(None) in args:
        rest = [arg for arg in args if arg is not type(None)]
        return f"{allowed_by_type(rest[0])}, or null" if len(rest) == 1 else ""
    if isinstance(hint, type) and issubclass(hint, Choice):
        return ", ".join(hint.names())
    if typing.get_origin(hint) is list:
        inner = args[0] if args else Any
        if isinstance(inner, type) and issubclass(inner, Choice):
            return f"a list of {', '.join(inner.names())}"
        return "a list of names" if inner is str else "a list"
    words = {bool: "true, false", int: "an integer", float: "a number", str: "text"}
    return words.get(hint, "")


def choices_phrase(having: list[str], every: list[str]) -> str:
    return "all" if having == every else ", ".join(having)


def merged(values: dict[str, str]) -> str:
    """One cell for several choices' values: the common one, then the exceptions by name."""
    common, _ = Counter(values.values()).most_common(1)[0]
    others = [f"{name}: {value}" for name, value in values.items() if value != common]
    return common + (f" ({'; '.join(others)})" if others else "")


def escaped(text: str) -> str:
    return text.replace("|", "\\|")


def allowed_for(schema: type, name: str) -> str:
    """What field `name` of `schema` allows: the nearest `allowed:` line its classes write
    for it, else what its type allows."""
    for owner in schema.__mro__:
        if dataclasses.is_dataclass(owner) and name in field_comments(owner):
            written = meaning_and_allowed(field_comments(owner)[name])[1]
            if written:
                return written
    return allowed_by_type(typing.get_type_hints(schema)[name])


def meanings(having: dict[str, type], name: str) -> str:
    """The field's meaning: what the class most choices share says, then `choice: what`
    where a choice says its own (csv's window); each by its choice when none is shared."""
    said = {choice: comment_of(schema, name) for choice, schema in having.items()}
    owners = Counter(found[0] for found in said.values() if found).most_common()
    shared = bool(owners) and (owners[0][1] > 1 or len(owners) == 1)
    parts = []
    for rank, (owner, _) in enumerate(owners):
        prose = meaning_and_allowed(field_comments(owner)[name])[0]
        named = ", ".join(c for c, found in said.items() if found and found[0] is owner)
        parts.append(prose if rank == 0 and shared else f"{named}: {prose}")
    return "; ".join(parts)


def key_rows(
    prefix: str, schemas: dict[str, type], group: str | None, skip: tuple[str, ...] = ()
) -> list[list[str]]:
    """A row per key of a group: key, [which choices,] default, allowed, meaning. `group` is
    the choice's command-line name where one choice of several is picked (model=), None for
    one schema or for members named in the key (logger.mlflow.*)."""
    seen: dict[str, dict[str, type]] = {}
    for choice, schema in schemas.items():
        for field in dataclasses.fields(schema):
            if field.name not in skip:
                seen.setdefault(field.name, {})[choice] = schema
    rows = []
    for name, having in seen.items():
        defaults = {c: default_of(fields_of(s)[name]) for c, s in having.items()}
        named = [c for c in having if str(defaults[c]) == c]  # the choice's own name
        own = [c for c in having if defaults[c] is MISSING]  # a class of your own: any name
        if group is not None and named and len(named) + len(own) == len(having):
            default, allowed = f"set by `{group}=`", ", ".join(named)
            if own:
                default, allowed = (
                    f"{default} ({', '.join(own)}: required)",
                    f"{allowed} ({', '.join(own)}: any name)",
                )
        else:
            default = merged({c: shown(value, prefix) for c, value in defaults.items()})
            allowed = merged({c: allowed_for(s, name) for c, s in having.items()})
        key = f"{prefix}.{name}" if prefix else name
        row = [f"`{key}`", default, allowed, meanings(having, name)]
        if group is not None:
            row.insert(1, choices_phrase(list(having), list(schemas)))
        rows.append([escaped(cell) for cell in row])
    return rows


def fields_of(schema: type) -> dict[str, dataclasses.Field]:
    return {field.name: field for field in dataclasses.fields(schema)}


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows]) + "\n"


def group_table(prefix: str, schemas: dict[str, type], group: str | None = None) -> str:
    header = ["key", "default", "allowed", "meaning"]
    if group is not None:
        header.insert(1, group)
    return markdown(header, key_rows(prefix, schemas, group))


def members_table(prefix: str, schemas: dict[str, type]) -> str:
    """Groups whose members are picked together (logger, callbacks): the member in the key."""
    rows = []
    for member, schema in schemas.items():
        rows += key_rows(f"{prefix}.{member}", {member: schema}, None)
    return markdown(["key", "default", "allowed", "meaning"], rows)


def choices_table(group: str, schemas: dict[str, type], facts: dict[str, str]) -> str:
    """One row per choice: its name, a class-level fact (the data's task), its docstring."""
    rows = [[f"`{name}`", str(getattr(schema, facts["attribute"])), docstring(schema)]
            for name, schema in schemas.items() if name != OWN_MODULE]  # fmt: skip
    return markdown([group, facts["header"], "what it is"], [[escaped(c) for c in r] for r in rows])


def rewrite(readme: str, tables: dict[str, str]) -> str:
    """The README with every `<!-- options: name -->` block replaced by its table; a block
    the tables do not know is an error (a typo would silently keep a stale table)."""
    unknown = sorted(set(block_names(readme)) - set(tables))
    if unknown:
        raise KeyError(f"README option blocks with no table: {', '.join(unknown)}")
    return BLOCK.sub(lambda m: m.group(1) + tables[m.group(2)] + m.group(3), readme)


def block_names(readme: str) -> list[str]:
    return [match.group(2) for match in BLOCK.finditer(readme)]


def run_table() -> str:
    """The top-level keys (conf/train.yaml) with the small groups nested in them; the config
    groups and `training.` have tables of their own."""
    from rnnlab.config.run_config import AutoConfig, CheckpointConfig, RunConfig

    own = ("data", "model", "optimizer", "trainer", "scheduler", "logger", "callbacks")
    nested = {"checkpoint": CheckpointConfig, "auto": AutoConfig}
    rows = key_rows("", {"": RunConfig}, None, skip=(*own, "training", *nested))
    for prefix, schema in nested.items():
        rows += key_rows(prefix, {"": schema}, None)
    return markdown(["key", "default", "allowed", "meaning"], rows)


def readme_tables() -> dict[str, str]:
    """Every generated block of the README, by the name its marker gives."""
    from rnnlab.config.callbacks import CALLBACK_CONFIGS
    from rnnlab.config.data import DATA_CONFIGS
    from rnnlab.config.logger import LOGGER_CONFIGS
    from rnnlab.config.model import MODEL_CONFIGS
    from rnnlab.config.optimizer import OPTIMIZER_CONFIGS
    from rnnlab.config.run_config import TrainingConfig
    from rnnlab.config.scheduler import SCHEDULER_CONFIGS
    from rnnlab.config.trainer import TrainerConfig

    return {
        "model": group_table("model", MODEL_CONFIGS, "model"),
        "data_sets": choices_table("data", DATA_CONFIGS, {"attribute": "task", "header": "task"}),
        "data": group_table("data", DATA_CONFIGS, "data"),
        "optimizer": group_table("optimizer", OPTIMIZER_CONFIGS, "optimizer"),
        "scheduler": group_table("scheduler", SCHEDULER_CONFIGS, "scheduler"),
        "trainer": group_table("trainer", {"": TrainerConfig}),
        "training": group_table("training", {"": TrainingConfig}),
        "logger": members_table("logger", LOGGER_CONFIGS),
        "callbacks": members_table("callbacks", CALLBACK_CONFIGS),
        "run": run_table(),
    }


def stale_blocks(readme: str, tables: dict[str, str]) -> list[str]:
    """The README's generated blocks whose table is not what the schema now writes."""
    written = {match.group(2): match.group(0) for match in BLOCK.finditer(readme)}
    fresh = {match.group(2): match.group(0) for match in BLOCK.finditer(rewrite(readme, tables))}
    return [name for name in written if written[name] != fresh[name]]
