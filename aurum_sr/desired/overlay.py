"""One environment's view of the desired state: its overlay applied to the contracts.

An ``[environments.NAME]`` table may narrow the subjects its registry holds (``include``,
``exclude``, ``include_tags``), override compatibility levels, and put a prefix (or a Confluent
context) before every subject name. The result is an ordinary :class:`DesiredState`, so the rest
of the pipeline does not know environments exist. Every subject and glob the overlay names is
checked against the contracts first: a typo would otherwise change nothing, silently.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from fnmatch import fnmatchcase

from aurum_sr.config import Environment, Overlay
from aurum_sr.errors import ConfigError
from aurum_sr.model import CompatibilityLevel, DesiredState, SubjectSpec

_GLOB = frozenset("*?[")


def apply_overlay(state: DesiredState, environment: Environment) -> DesiredState:
    """``state`` as ``environment`` holds it.

    Raises:
        ConfigError: the overlay names a subject the contracts do not have (did you mean), a
            glob that matches none, or leaves out a subject an included one references; the
            message names the file and line.
    """
    overlay = environment.overlay
    if overlay == Overlay(deletes=overlay.deletes, locations=overlay.locations):
        return state
    names = sorted(state.subjects)
    for subject, _ in overlay.compatibility_overrides:
        _check_named(subject, names, overlay, environment, "compatibility_overrides")
    for key, globs in (("include", overlay.include), ("exclude", overlay.exclude)):
        for glob in globs:
            _check_named(glob, names, overlay, environment, key)
    tags = {t for spec in state.subjects.values() for t in spec.tags}
    for tag in overlay.include_tags:
        if tag not in tags:
            close = difflib.get_close_matches(tag, sorted(tags), n=1, cutoff=0.6)
            raise ConfigError(
                f"{overlay.location(tag, environment.where)}: include_tags names {tag!r}, and "
                "no contract has that tag",
                hint=f"did you mean {close[0]!r}?" if close else "give a tag the contracts use",
            )
    kept = {name: state.subjects[name] for name in names if _holds(overlay, state.subjects[name])}
    for name, spec in kept.items():
        for ref in spec.references:
            if ref.subject not in kept and ref.subject in state.subjects:
                raise ConfigError(
                    f"{environment.where}: the environment leaves out {ref.subject}, which "
                    f"{name} references",
                    hint=f"include {ref.subject} in the environment too, or leave out {name}",
                )
    levels = dict(overlay.compatibility_overrides)
    prefix = overlay.subject_prefix
    subjects = {
        prefix + name: _in_environment(
            spec, prefix, levels.get(name) or overlay.compatibility, set(kept)
        )
        for name, spec in kept.items()
    }
    return replace(
        state,
        subjects=subjects,
        owned_prefixes=tuple(prefix + p for p in state.owned_prefixes),
    )


def contract_name(subject: str, environment: Environment) -> str:
    """The contract's name of ``subject`` as ``environment``'s registry names it."""
    return subject.removeprefix(environment.overlay.subject_prefix)


def _holds(overlay: Overlay, spec: SubjectSpec) -> bool:
    name = spec.subject
    if overlay.include and not any(fnmatchcase(name, g) for g in overlay.include):
        return False
    if overlay.include_tags and not set(overlay.include_tags) & set(spec.tags):
        return False
    return not any(fnmatchcase(name, g) for g in overlay.exclude)


def _in_environment(
    spec: SubjectSpec, prefix: str, level: CompatibilityLevel | None, managed: set[str]
) -> SubjectSpec:
    # A reference to a subject the contracts do not manage names it as the registry does.
    changed = replace(
        spec,
        subject=prefix + spec.subject,
        references=tuple(
            replace(r, subject=prefix + r.subject) if r.subject in managed else r
            for r in spec.references
        ),
    )
    return changed if level is None else replace(changed, compatibility=level)


def _check_named(
    token: str, names: list[str], overlay: Overlay, environment: Environment, key: str
) -> None:
    if any(fnmatchcase(n, token) for n in names):
        return
    where = overlay.location(token, environment.where)
    if _GLOB & set(token):
        raise ConfigError(
            f"{where}: {key} pattern {token!r} matches no subject in the contracts",
            hint="fix the pattern, or drop it",
        )
    close = difflib.get_close_matches(token, names, n=1, cutoff=0.6)
    raise ConfigError(
        f"{where}: {key} names {token!r}, which is not a subject in the contracts",
        hint=f"did you mean {close[0]!r}?"
        if close
        else "name a subject the contracts list (`aurum-sr validate` shows them)",
    )
