"""How much of a plan a renderer shows: compact or in full, schema diffs, the Markdown budget.

This module imports nothing heavy: the command line reads it to build ``--help``.
"""

from __future__ import annotations

from dataclasses import dataclass

MARKDOWN_BUDGET = 60_000
"""The default size limit of a Markdown plan, in UTF-8 bytes: a GitHub comment holds 65,536
characters, and the comment adds its marker, run line and a link to the full plan."""


@dataclass(frozen=True)
class PlanView:
    """The reader's choices for one rendering of a plan."""

    compact: bool = False
    """One line for each subject that needs no review (a compatible create or update with no
    warning); the full detail only for blocked, breaking, warned, rolled-back or deleted
    subjects. Human and Markdown output; the other formats are documents and stay whole."""
    diff: bool = False
    """Human output: show each changed subject's schema diff. Markdown always folds the diffs
    into ``<details>`` blocks (within the budget); JSON always carries them."""
    markdown_budget: int | None = MARKDOWN_BUDGET
    """Markdown's size limit in UTF-8 bytes; ``None``: no limit. Over it, the Markdown is
    shortened in steps (detail only where review is needed, then the step and owner lists
    summarised, then the diffs left out, then compatible changes counted instead of listed),
    and a blocked subject is never left out."""


__all__ = ["MARKDOWN_BUDGET", "PlanView"]
