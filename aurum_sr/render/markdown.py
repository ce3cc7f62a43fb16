"""The plan and drift report as a pull-request comment (GitHub-flavoured Markdown)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Literal, TextIO

from aurum_sr.diff.drift import DriftReport
from aurum_sr.plan.model import Plan, SubjectAction, SubjectPlan
from aurum_sr.plan.reasons import Incompatible
from aurum_sr.render import words
from aurum_sr.render.escape import html_code, markdown_code, markdown_fence, markdown_text
from aurum_sr.render.human import drift_summary
from aurum_sr.render.text import (
    change_line,
    change_symbol,
    grouped_breaking_line,
    grouped_breaks,
    needs_review,
    verdict_badge,
    verdict_line,
)
from aurum_sr.render.view import PlanView


def _cell(text: str) -> str:
    return markdown_text(text.replace("\n", " "))


def _code(text: str) -> str:
    return markdown_code(text)


@dataclass(frozen=True)
class _Shape:
    """How much of a plan one rendering shows; the budget picks the first shape that fits."""

    details: Literal["all", "review", "blocked"]
    """Whose detail blocks are shown: every subject's, those that need review, blocked ones."""
    diffs: bool
    """Schema diffs inside the detail blocks shown."""
    lists: bool
    """Steps listed one by one and owners with their subjects (False: counted)."""
    rows: int | None = None
    """Table rows kept for subjects that need no review, in order (None: every one)."""


_FULL = _Shape("all", diffs=True, lists=True)
_COMPACT = _Shape("review", diffs=True, lists=True)
_SHORTER = (_Shape("review", diffs=True, lists=False), _Shape("review", diffs=False, lists=False))


def render_plan(plan: Plan, stream: TextIO, *, view: PlanView | None = None) -> None:
    """Summary, a table of changes, details and schema diffs folded, steps, owners to notify;
    compact when ``view`` asks, and within its Markdown budget (see :func:`plan_markdown`)."""
    stream.write(plan_markdown(plan, view or PlanView()))


def plan_markdown(plan: Plan, view: PlanView) -> str:
    """The plan as Markdown, in the fullest shape that fits ``view.markdown_budget`` (UTF-8
    bytes): in full (unless compact), then detail only for subjects that need review, then
    steps and owners counted, then no schema diffs, then as many rows of compatible changes as
    fit with the rest counted, then detail only for blocked subjects. A blocked subject always
    keeps its row and its detail, so the result may exceed a budget too small for them."""
    budget = view.markdown_budget
    shapes = ([] if view.compact else [_FULL]) + [_COMPACT, *_SHORTER]
    if budget is None:
        return _plan(plan, shapes[0], view)
    for shape in shapes:
        text = _plan(plan, shape, view)
        if _size(text) <= budget:
            return text
    last = shapes[-1]
    fits = 0
    low, high = 0, sum(1 for s in plan.subjects if not needs_review(s)) - 1
    while low <= high:  # the most rows of compatible changes that still fit
        middle = (low + high) // 2
        if _size(_plan(plan, replace(last, rows=middle), view)) <= budget:
            fits, low = middle, middle + 1
        else:
            high = middle - 1
    text = _plan(plan, replace(last, rows=fits), view)
    if fits == 0 and _size(text) > budget:
        return _plan(plan, _Shape("blocked", diffs=False, lists=False, rows=0), view)
    return text


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _plan(plan: Plan, shape: _Shape, view: PlanView) -> str:
    out: list[str] = ["## aurum-sr plan", "", f"**{words.plan_summary(plan)}**", ""]
    out.append(
        f"Registry {_code(plan.registry)} · contracts {_code(plan.contracts_path)} · "
        f"made {plan.created_at}"
    )
    out.append("")
    out += _shortened(shape, view)
    shown = _table(plan, shape, out)
    for s in plan.subjects:
        if s.subject in shown and _with_details(s, shape):
            out += _details(s, plan.contracts_path, diffs=shape.diffs)
    if plan.steps and shape.lists:
        out += ["<details><summary>Steps, in apply order</summary>", ""]
        out += [f"{i}. {_cell(words.step(step))}" for i, step in enumerate(plan.steps, 1)]
        out += ["", "</details>", ""]
    elif plan.steps:
        out += [f"{len(plan.steps)} step(s) in apply order, listed in the full plan.", ""]
    if plan.needs_allow_delete and not plan.policy.allow_delete:  # no hint for a flag given
        out += ["> [!WARNING]", "> Deletes need `aurum-sr apply --allow-delete`.", ""]
    owned = [u for u in plan.unmanaged if u.owned]
    if owned:
        out += ["### Unmanaged subjects under owned prefixes", ""]
        for u in owned:
            note = "deleted by this plan (`--prune`)" if u.pruned else "drift; `--prune` deletes"
            out.append(f"- {_code(u.subject)}: {note}")
        out.append("")
    if plan.warnings:
        out += ["### Warnings", ""]
        out += [f"- {markdown_text(words.plan_warning(w))}" for w in plan.warnings] + [""]
    owners: dict[str, list[str]] = defaultdict(list)
    for s in plan.subjects:
        if s.owner:
            owners[s.owner].append(s.subject)
    if owners:
        out += ["### Owners to notify", ""]
        for owner in sorted(owners):
            if shape.lists:
                out.append(f"- {_cell(owner)}: " + ", ".join(_code(x) for x in owners[owner]))
            else:
                out.append(f"- {_cell(owner)}: {len(owners[owner])} subject(s)")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _shortened(shape: _Shape, view: PlanView) -> list[str]:
    """The note saying what a shortened plan leaves out, and where the rest is."""
    if shape == _FULL or (view.compact and shape == _COMPACT):
        return []
    left_out = []
    if shape.details == "blocked":
        left_out.append("detail only for blocked subjects")
    elif not view.compact:
        left_out.append("detail only for subjects that need review")
    if not shape.lists:
        left_out.append("steps and owners counted")
    if not shape.diffs:
        left_out.append("no schema diffs")
    if shape.rows is not None:
        left_out.append("compatible changes counted")
    return [
        "> [!NOTE]",
        f"> Shortened to fit {view.markdown_budget:,} bytes: {'; '.join(left_out)}. The full "
        "plan is in the saved plan file (`aurum-sr show PLAN_FILE`, the job's artifact).",
        "",
    ]


def _table(plan: Plan, shape: _Shape, out: list[str]) -> set[str]:
    """The table of subjects (rows beyond ``shape.rows`` counted below it); the names shown."""
    shown: set[str] = set()
    if not plan.subjects:
        return shown
    out += ["| | Subject | Change | Verdict | Owner |", "|---|---|---|---|---|"]
    quiet = 0
    left: Counter[SubjectAction] = Counter()
    for s in plan.subjects:
        if not needs_review(s):
            quiet += 1
            if shape.rows is not None and quiet > shape.rows:
                left[s.action] += 1
                continue
        shown.add(s.subject)
        verdict = verdict_badge(s.verdict) if s.verdict else ""
        if s.blocked_reasons and not verdict:
            verdict = "BLOCKED"
        symbol, change = words.action_symbol(s.action), words.summary(s.summary)
        out.append(
            f"| `{symbol}` | {_code(s.subject)} | {_cell(change)} | "
            f"{_cell(verdict)} | {_cell(s.owner or '')} |"
        )
    out.append("")
    if left:
        counted = ", ".join(
            f"{left[action]} to {action.value}"
            for action in (SubjectAction.CREATE, SubjectAction.UPDATE)
            if left[action]
        )
        out += [
            f"… and {sum(left.values())} more compatible change(s) ({counted}); the full plan "
            "lists them.",
            "",
        ]
    return shown


def _with_details(s: SubjectPlan, shape: _Shape) -> bool:
    if shape.details == "all":
        return True
    if shape.details == "review":
        return needs_review(s)
    return s.action is SubjectAction.BLOCKED


def _details(s: SubjectPlan, contracts_path: str, *, diffs: bool) -> list[str]:
    breaking = grouped_breaks(s.verdict.breaking_changes) if s.verdict else []
    diff = s.schema_diff if diffs else ()
    if not (breaking or s.changes or s.notes or s.warnings or s.blocked_reasons or diff):
        return []
    if breaking:
        title = f"{len(breaking)} breaking change(s) in <code>{html_code(s.subject)}</code>"
    else:
        title = f"Details of <code>{html_code(s.subject)}</code>"
    out = [f"<details><summary>{title}</summary>", ""]
    if s.schema_file:
        out.append(f"Schema: {_code(s.schema_file)}")
        out.append("")
    out += [f"- {markdown_text(words.note(n))}" for n in s.notes]
    out += [f"- {markdown_text(words.subject_warning(w))}" for w in s.warnings]
    if s.verdict:
        out.append(f"- Verdict: {verdict_line(s.verdict)}")
    if s.verdict and s.verdict.accepted:
        out.append(f"- **Accepted**: {markdown_text(words.accepted_break(s.verdict.accepted))}")
    for b, versions in breaking:  # each fix right under its break
        out.append(f"- **Breaking**: {_cell(grouped_breaking_line(b, versions))}")
        if b.recommendation:
            out.append(f"  - fix: {markdown_text(b.recommendation)}")
    out += [f"- `{change_symbol(c)}` {_cell(change_line(c))}" for c in s.changes]
    out += [f"- **Blocked**: {markdown_text(words.blocked_reason(r))}" for r in s.blocked_reasons]
    for reason in s.blocked_reasons:
        snippet = words.accept_snippet(reason) if isinstance(reason, Incompatible) else ()
        if snippet and isinstance(reason, Incompatible):
            where = reason.contract or contracts_path
            intro = markdown_text(words.how_to_accept(s.subject, where))
            out += ["", intro[:1].upper() + intro[1:], "", *markdown_fence(snippet, "yaml")]
    if diff:
        out += ["", "<details><summary>Schema diff</summary>", ""]
        out += [*markdown_fence(diff, "diff"), "", "</details>"]
    return [*out, "", "</details>", ""]


def render_drift(report: DriftReport, stream: TextIO) -> None:
    """The drift findings as a table."""
    out = ["## aurum-sr drift", "", f"**{drift_summary(report)}**", ""]
    out.append(f"Registry {_code(report.registry)} · contracts {_code(report.contracts_path)}")
    out.append("")
    if report.findings:
        out += ["| Subject | Drift | What | Git | Registry |", "|---|---|---|---|---|"]
        for f in report.findings:
            out.append(
                f"| {_code(f.subject)} | {f.kind.value} | {_cell(f.message)} | "
                f"{_cell(f.expected)} | {_cell(f.actual)} |"
            )
        remedies = [
            (f, r) for f in report.findings for r in words.drift_remedies(f, report.registry)
        ]
        if remedies:
            out += ["", "**How to resolve**", ""]
            out += [f"- {_code(f.subject)}: {_cell(r)}" for f, r in remedies]
    stream.write("\n".join(out).rstrip("\n") + "\n")
