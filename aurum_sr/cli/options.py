"""What several commands share: their options, opening the configured registry, loading the
desired state, the progress bar and the output streams.

Heavy imports stay inside the functions so that ``aurum-sr --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from aurum_sr.render.formats import OutputFormat, describe
from aurum_sr.render.view import MARKDOWN_BUDGET, PlanView

if TYPE_CHECKING:
    from collections.abc import Callable

    from aurum_sr.config import Environment, SchemaRegistryConfig
    from aurum_sr.desired import LoadedDesired
    from aurum_sr.environments import Promotion, Target
    from aurum_sr.model import DesiredState, LiveState
    from aurum_sr.plan import Plan
    from aurum_sr.registry.protocol import Registry


def format_option(accepted: Sequence[OutputFormat], *names: str) -> Any:
    """The ``--format`` option (plus ``names``) of a command whose document has the
    ``accepted`` formats: help and errors list exactly those."""
    values = [f.value for f in accepted]

    def parse(value: str | OutputFormat) -> OutputFormat:
        if isinstance(value, OutputFormat):  # the default
            return value
        if value not in values:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(values)}")
        return OutputFormat(value)

    return typer.Option(
        "--format", *names, parser=parse, metavar=f"[{'|'.join(values)}]", help=describe(accepted)
    )


COMPACT_HELP = (
    "One line for each compatible change that needs no review; details only for blocked, "
    "breaking, warned, rolled-back and deleted subjects (human and markdown)."
)
DIFF_HELP = (
    "Show each changed subject's schema diff (unified, of the canonical JSON) in human "
    "output; markdown always folds the diffs."
)
MARKDOWN_BUDGET_HELP = (
    "Keep markdown output under BYTES (UTF-8), shortening it in steps and never leaving out "
    "a blocked subject; 0: no limit [default: 60000, which fits a GitHub comment]."
)


def plan_view(*, compact: bool = False, diff: bool = False, budget: int | None = None) -> PlanView:
    """The view the plan-rendering options ask for (a ``budget`` of 0 means no limit;
    ``None`` the default)."""
    limit = MARKDOWN_BUDGET if budget is None else (budget or None)
    return PlanView(compact=compact, diff=diff, markdown_budget=limit)


ROOT_HELP = "Repository root (holds contracts/ and schemas/)."
REGISTRY_HELP = (
    "The registry: http(s)://HOST[:PORT], file:PATH (a snapshot file) or memory: "
    "[default: from aurum-sr.toml / SCHEMA_REGISTRY_URL, else file:registry/snapshot.json]."
)
ENV_HELP = (
    "Use the registry, credentials and TLS settings of [environments.NAME] in aurum-sr.toml "
    "(not together with --registry)."
)
CONTRACTS_HELP = (
    "Contracts file, relative to the root [default: from config, else contracts/contracts.yml]."
)
SCHEMA_DIR_HELP = (
    "Plan a folder of .avsc files WITHOUT contracts (subjects named by record full name). "
    "Contracts are not enforced in this mode."
)


def registry_config(
    registry: str | None,
    *,
    root: str = ".",
    environ: Mapping[str, str] | None = None,
    writes: bool = False,
    env: str | None = None,
) -> SchemaRegistryConfig:
    """The configuration in force: ``aurum-sr.toml`` under ``root``, then the environment
    (``SCHEMA_REGISTRY_URL``, credentials), then ``--registry`` (``registry``) on top.

    A relative ``file:`` path on the command line is relative to the working directory; one
    from the configuration (or the default) is relative to ``root``.

    Writes go only where the user said: with ``writes`` the embedded default
    (``file:registry/snapshot.json`` when nothing names a registry) is refused, and so is a
    snapshot file that does not exist. A read-only command on the embedded default says so on
    stderr, so a missing CI secret does not pass for a real registry.

    With ``env`` (``--env NAME``) the environment's settings replace the top-level ones and the
    ``SCHEMA_REGISTRY_*`` URL and credentials; ``--registry`` together with ``--env`` is refused
    (one of them would be silently ignored, or one registry's credentials sent to another).

    Raises:
        ConfigError: bad configuration; --registry with --env; an unknown environment or a
            missing credential variable; with ``writes``, no explicit target or a missing
            snapshot file.
    """
    from aurum_sr.config import DEFAULT_REGISTRY, base_url_source, load_config
    from aurum_sr.errors import ConfigError

    if env is not None and registry is not None:
        raise ConfigError(
            "--registry and --env exclude each other",
            hint="name the registry either directly (--registry URL) or by environment "
            "(--env NAME)",
        )
    if registry is not None and registry.startswith("file:") and not registry.startswith("file://"):
        registry = f"file:{Path(registry.removeprefix('file:')).resolve()}"
    config = load_config(root, overrides={"base_url": registry}, environ=environ, env=env)
    apply_log_level(config.log_level)
    url = config.base_url
    if url.startswith("file:") and not url.startswith("file://"):
        path = Path(url.removeprefix("file:"))
        if not path.is_absolute():
            config = replace(config, base_url=f"file:{(Path(root) / path).resolve()}")
    implicit = registry is None and env is None and base_url_source(root, environ=environ) is None
    if writes:
        _check_write_target(config, implicit=implicit)
    elif implicit:
        print(
            f"registry: the embedded default {DEFAULT_REGISTRY} (read only; no --registry, "
            "SCHEMA_REGISTRY_URL or base_url in aurum-sr.toml)",
            file=sys.stderr,
        )
    return config


def environment_snapshot(env: str | None, *, root: str = ".") -> str:
    """The ``snapshot`` file of ``[environments.NAME]`` (relative to ``root``): where
    ``snapshot export --env NAME`` writes when no ``--out`` is given.

    Raises:
        ConfigError: no --env, an unknown environment, or one without a ``snapshot`` key.
    """
    from aurum_sr.config import ENVIRONMENTS, configured_environment
    from aurum_sr.errors import ConfigError

    if env is None:
        raise ConfigError(
            "snapshot export needs --out FILE (or --env NAME with a snapshot file)",
            hint="e.g. `aurum-sr snapshot export --out registry/snapshot.json`",
        )
    found = configured_environment(root, env)
    if found.snapshot is None:
        raise ConfigError(
            f"--env {env}: [{ENVIRONMENTS}.{env}] has no snapshot file",
            hint=f'add snapshot = "registry/{env}.json" to it, or pass --out FILE',
        )
    return str(Path(root) / found.snapshot)


def snapshot_file(config: SchemaRegistryConfig) -> Path | None:
    """The snapshot file ``config`` points at, or None for another kind of registry."""
    url = config.base_url.strip()
    if not url.startswith("file:"):
        return None
    path = url.removeprefix("file:")
    return Path(path[2:] if path.startswith("//") else path)


def _check_write_target(config: SchemaRegistryConfig, *, implicit: bool) -> None:
    """Refuse to write to a registry nobody named, or to a snapshot file that is not there.

    Raises:
        ConfigError: as said.
    """
    from aurum_sr.config import DEFAULT_REGISTRY
    from aurum_sr.errors import ConfigError

    if implicit:
        raise ConfigError(
            f"no registry was given, and the embedded default {DEFAULT_REGISTRY} is for "
            "reading only; nothing was written",
            hint="name the target: --registry https://HOST (or SCHEMA_REGISTRY_URL, or base_url "
            f"in aurum-sr.toml), or --registry {DEFAULT_REGISTRY} to write the snapshot file",
        )
    path = snapshot_file(config)
    if path is not None and not path.is_file():
        raise ConfigError(
            f"registry snapshot {path} does not exist; nothing was written",
            hint="check the path; to start a new snapshot file, export one with "
            f"`aurum-sr snapshot export --registry memory: --out {path}`",
        )


def apply_log_level(level: str) -> None:
    """Use the configured log level (file or SCHEMA_REGISTRY_LOG_LEVEL) unless --debug is on."""
    import logging

    from aurum_sr.cli.state import RUN

    if not RUN.debug:
        logging.getLogger("aurum_sr").setLevel(getattr(logging, level.upper(), logging.WARNING))


def open_configured_registry(root: str, registry: str | None, env: str | None = None) -> Registry:
    """The registry from ``--registry`` or ``--env``, else from the configuration under ``root``.

    Raises:
        ConfigError: bad configuration or an unsupported URL.
    """
    from aurum_sr.registry import open_registry

    return open_registry(registry_config(registry, root=root, env=env))


def load_state(
    root: str, contracts: str | None, schema_dir: str | None, *, strict: bool = False
) -> LoadedDesired:
    """The desired state (see :func:`aurum_sr.pipeline.load`); its warnings go to stderr.

    Raises:
        DesiredStateError: every problem found.
        ConfigError: bad configuration, or --schema-dir together with --contracts.
    """
    from aurum_sr import pipeline

    config = _desired_config(root, contracts, schema_dir)
    loaded = pipeline.load(
        root,
        contracts=config.contracts_path,
        strict=config.fail_on_missing_contract,
        schema_dir=schema_dir,
    )
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    return loaded


def _desired_config(
    root: str, contracts: str | None, schema_dir: str | None
) -> SchemaRegistryConfig:
    """The configuration that says where the contracts are (``--contracts`` wins).

    Raises:
        ConfigError: bad configuration, or --schema-dir together with --contracts.
    """
    from aurum_sr.config import load_config
    from aurum_sr.errors import ConfigError

    if schema_dir is not None and contracts is not None:
        raise ConfigError(
            "--schema-dir and --contracts exclude each other",
            hint="plan either the contracts or a folder of .avsc files",
        )
    return load_config(root, overrides={"contracts_path": contracts})


@contextmanager
def desired_and_live(
    root: str,
    registry: str | None,
    contracts: str | None,
    schema_dir: str | None,
    env: str | None = None,
) -> Iterator[tuple[LoadedDesired, Registry, LiveState]]:
    """The desired state (warnings printed to stderr), the configured registry (closed on
    exit) and its latest-only live state, read while the schemas are checked
    (:func:`aurum_sr.pipeline.load_reading`). As with :func:`load_state`, a problem in the
    desired state is reported before anything about the registry.

    Raises:
        DesiredStateError: every problem found in the desired state.
        ConfigError: bad configuration.
        RegistryError: the registry could not be read.
    """
    from aurum_sr import pipeline

    config = _desired_config(root, contracts, schema_dir)
    opened: list[Registry] = []

    def read(state: DesiredState) -> LiveState:
        opened.append(open_configured_registry(root, registry, env))
        return pipeline.read_latest(state, opened[0], reading=reading_progress)

    try:
        if schema_dir is not None:
            loaded = pipeline.load(root, schema_dir=schema_dir)
            latest = read(loaded.state)
        else:
            loaded, latest = pipeline.load_reading(
                root,
                read,
                contracts=config.contracts_path,
                strict=config.fail_on_missing_contract,
                meanwhile=pipeline.precompute_identities,
            )
        for warning in loaded.warnings:
            print(warning, file=sys.stderr)
        yield loaded, opened[0], latest
    finally:
        for source in opened:
            source.close()


SKIP_PROMOTION_HELP = (
    "Emergency: let SUBJECT's change through although the environment before this one in the "
    "promotion order does not hold it yet (repeatable; needs --reason; recorded in the plan "
    "and the apply report)."
)
REASON_HELP = "Why the promotion check is skipped (required with --skip-promotion-check)."


def promotion_of(
    root: str, skip: Sequence[str] | None, reason: str | None, state: DesiredState | None
) -> Promotion:
    """The promotion order under ``root`` and the ``--skip-promotion-check`` subjects, checked
    against ``state``'s contracts (when given).

    Raises:
        ConfigError: a bad promotion order, a skip without --reason (or a reason without a
            skip), or a subject the contracts do not have (did you mean).
    """
    from aurum_sr.config import configured_environments, promotion_order
    from aurum_sr.environments import Promotion
    from aurum_sr.errors import ConfigError

    skipped = sorted(set(skip or ()))
    if skipped and not (reason or "").strip():
        raise ConfigError(
            "--skip-promotion-check needs --reason TEXT: the override is recorded with why",
            hint='e.g. --skip-promotion-check orders-value --reason "INC-123: hotfix"',
        )
    if reason is not None and not skipped:
        raise ConfigError(
            "--reason goes with --skip-promotion-check SUBJECT",
            hint="name the subject whose promotion check is skipped",
        )
    if state is not None:
        check_allowed_subjects(skipped, state, flag="--skip-promotion-check")
    return Promotion(
        order=promotion_order(root),
        environments=configured_environments(root),
        skipped=dict.fromkeys(skipped, (reason or "").strip()),
    )


def registry_opener(root: str) -> Callable[[Environment], Registry]:
    """Opens an environment's registry with its configuration (:func:`registry_config`)."""
    from aurum_sr.registry import open_registry

    def open_environment(environment: Environment) -> Registry:
        return open_registry(registry_config(None, root=root, env=environment.name))

    return open_environment


@contextmanager
def environments_desired_and_live(
    root: str, contracts: str | None, spec: str
) -> Iterator[tuple[LoadedDesired, list[Target]]]:
    """:func:`desired_and_live` for ``--env SPEC`` (one name, several, or ``all``): every
    environment's registry read concurrently while the schemas are checked; closed on exit.

    Raises:
        DesiredStateError: every problem found in the desired state.
        ConfigError: bad configuration, an unknown environment, a bad overlay.
        RegistryError: a registry could not be read (the message names the environment).
    """
    from aurum_sr import pipeline
    from aurum_sr.config import selected_environments
    from aurum_sr.environments import opened

    config = _desired_config(root, contracts, None)
    chosen = selected_environments(root, spec)
    for environment in chosen:  # every credential variable is checked before any read
        registry_config(None, root=root, env=environment.name)
    with opened(chosen, registry_opener(root)) as read:

        def meanwhile(
            state: DesiredState, read: list[Target], checking: Callable[[], bool]
        ) -> None:
            for target in read:  # the identities are cached by text: each schema is done once
                pipeline.precompute_identities(target.desired, target.latest, checking)

        loaded, targets = pipeline.load_reading(
            root,
            read,
            contracts=config.contracts_path,
            strict=config.fail_on_missing_contract,
            meanwhile=meanwhile,
        )
        for warning in loaded.warnings:
            print(warning, file=sys.stderr)
        yield loaded, targets


def check_allowed_subjects(
    allowed: Sequence[str], state: DesiredState, *, flag: str = "--allow-incompatible"
) -> None:
    """Every ``--allow-incompatible`` subject must be one the desired state lists: a typo
    would otherwise approve nothing, silently.

    Raises:
        ConfigError: the first unknown subject, with a did-you-mean.
    """
    import difflib

    from aurum_sr.errors import ConfigError

    for subject in sorted(set(allowed)):
        if subject in state.subjects:
            continue
        close = difflib.get_close_matches(subject, list(state.subjects), n=1, cutoff=0.6)
        raise ConfigError(
            f"{flag} {subject}: no such subject in the contracts",
            hint=f"did you mean {close[0]}?"
            if close
            else "give a subject the contracts list (`aurum-sr validate` shows them)",
        )


def reading_progress(count: int, registry: str) -> AbstractContextManager[object]:
    """A progress bar on stderr while the live state is read; nothing when stderr is not a
    terminal (CI logs, pipes)."""
    if not sys.stderr.isatty():
        return _nothing()
    return _bar(count, registry)


@contextmanager
def _nothing() -> Iterator[None]:
    yield


@contextmanager
def _bar(count: int, registry: str) -> Iterator[None]:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    # The registry answers one read_state call, so the bar pulses rather than counts.
    with Progress(
        SpinnerColumn(),
        TextColumn("reading {task.fields[count]} subject(s) from {task.fields[registry]}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    ) as progress:
        progress.add_task("read", total=None, count=count, registry=registry)
        yield


def read_plan_file(path: str, env: str | None = None, *, applying: bool = False) -> Plan:
    """A saved plan, its format version and digest checked; of a plan made for several
    environments (``plan --env all --out``), the plan of ``env``. A plan made for an
    environment is applied (``applying``) only to that environment (``--env`` the same name).

    Raises:
        PlanFileError: unreadable, not a plan, another format version, or modified; made for
            another environment than ``env``, or for several and ``env`` is not given.
    """
    plan = _read_plan_file(path, env)
    if applying and plan.environment != env:
        from aurum_sr.errors import PlanFileError

        if plan.environment is None:
            raise PlanFileError(
                f"{path} was made for a registry named directly, not for --env {env}",
                hint=f"make the plan for the environment: aurum-sr plan --env {env} --out {path}",
            )
        raise PlanFileError(
            f"{path} was made for environment {plan.environment}, not "
            + (f"{env}" if env else "the registry this apply names")
            + "; nothing was written",
            hint=f"apply it with --env {plan.environment}, or make a plan for "
            + (f"{env}: aurum-sr plan --env {env} --out FILE" if env else "this registry"),
        )
    return plan


def _read_plan_file(path: str, env: str | None) -> Plan:
    from aurum_sr.errors import PlanFileError
    from aurum_sr.formats import bounded

    try:
        text = bounded.read_text(path)
    except FileNotFoundError:
        raise PlanFileError(
            f"cannot read plan file {path}: no such file",
            hint="save a plan with `aurum-sr plan --out plan.json`",
        ) from None
    except bounded.InputFileError as exc:
        raise PlanFileError(f"plan file {path} {exc.message}", hint=exc.hint) from None
    try:
        return _environment_plan(text, path, env)
    except PlanFileError as exc:
        raise PlanFileError(f"{path}: {exc.message}", hint=exc.hint) from exc


def _environment_plan(text: str, path: str, env: str | None) -> Plan:
    """The plan ``text`` holds; of a combined plan document, the plan of ``env``.

    Raises:
        PlanFileError: not such a document, modified, no --env, or no plan for ``env``.
    """
    from aurum_sr.errors import PlanFileError
    from aurum_sr.formats import bounded
    from aurum_sr.plan.environments import from_environments_document, is_environments_document

    try:
        document = bounded.loads(text)
    except ValueError:
        document = None
    if not is_environments_document(document):
        from aurum_sr.plan.document import loads

        return loads(text, key=plan_key())  # one plan; loads says what is wrong with the text
    plans = from_environments_document(document, key=plan_key())
    names = ", ".join(p.environment for p in plans.plans)
    if env is None:
        raise PlanFileError(
            f"the plan holds one plan per environment ({names}); apply one environment at a time",
            hint=f"aurum-sr apply {path} --env NAME",
        )
    return plans.environment(env)


def check_writable(path: str, what: str) -> None:
    """Refuse an output file whose folder does not exist or cannot be written, before any work.

    Raises:
        AurumError: the folder is missing, not a folder, or not writable.
    """
    from aurum_sr.errors import AurumError

    target = Path(path)
    folder = target.parent
    if target.is_dir():
        reason = "it is a folder"
    elif not folder.is_dir():
        reason = f"the folder {folder} does not exist"
    elif not os.access(folder, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        reason = "permission denied"
    else:
        return
    raise AurumError(
        f"cannot write the {what} to {path}: {reason}",
        hint="give a path in an existing folder you can write to",
    )


def write_output(path: str, text: str, what: str) -> None:
    """Write ``text`` (an output the user asked for with --out/--report) to ``path``.

    Raises:
        AurumError: the file cannot be written (named, with the reason).
    """
    from aurum_sr.errors import AurumError

    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise AurumError(
            f"cannot write the {what} to {path}: {exc.strerror or exc}",
            hint="give a path in an existing folder you can write to",
        ) from None


def plan_key() -> str | None:
    """The secret that signs saved plans (``AURUM_SR_PLAN_KEY``), or None when unset. It is
    never printed: only the HMAC it makes is written."""
    return os.environ.get("AURUM_SR_PLAN_KEY") or None
