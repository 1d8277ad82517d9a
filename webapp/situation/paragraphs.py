"""Which of the sourced statements (guides/data/summary.yaml) the summary shows, in order, with their blanks filled.

The templates only lay these out: every sentence of the summary that states law or a rule comes from here, from a
next step, or from a contact rule, each with its sources. Pure: amounts and dates are formatted by the callables
the caller passes (Babel in the reader's locale).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from webapp.situation.assess import Assessment, CapBasis
from webapp.situation.model import Answers
from webapp.situation.rules import Rules, VariantTexts
from webapp.sources import Source

DateFormatter = Callable[[date], str]  # date -> 2026年11月28日 in the reader's locale


@dataclass(frozen=True)
class Paragraph:
    id: str  # the statement's id in guides/data/summary.yaml
    template: str  # the statement with its {placeholders}
    fill: dict[str, str]  # what fills them: dates, rates and figures (templates keep each on one line)
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class SummaryParagraphs:
    penalty: list[Paragraph]
    cap: list[Paragraph]
    credit: list[Paragraph]
    visits: list[Paragraph]


def say(texts: VariantTexts, statement_id: str, **fill: str) -> Paragraph:
    statement = texts.statements[statement_id]
    return Paragraph(id=statement_id, template=statement.text, fill=fill, sources=statement.sources)


def cap_paragraphs(
    answers: Answers, assessment: Assessment, rules: Rules, texts: VariantTexts, long_date: DateFormatter
) -> list[Paragraph]:
    cap = assessment.interest_cap
    if answers.contract_date is None:
        return [say(texts, "cap_needs_contract_date")]
    if cap is None:
        return [say(texts, "cap_transition")]
    sued_today = cap.basis == CapBasis.IF_SUED_TODAY
    day = assessment.as_of if sued_today else answers.contract_date  # whose LPR the line is four times
    figures = {"lpr": cap.lpr_percent, "lpr_date": long_date(cap.lpr_date), "cap": cap.cap_percent}
    if sued_today:
        out = [say(texts, "cap_transition"), say(texts, "cap_if_sued_today", as_of=long_date(day), **figures)]
    else:
        out = [say(texts, "cap_contract_date", contract_date=long_date(day), **figures)]
        rate = str(answers.annual_rate_percent)
        if cap.applies is True and cap.annual_rate_exceeds is not None:
            out.append(say(texts, "rate_above_line" if cap.annual_rate_exceeds else "rate_within_line", rate=rate))
        elif cap.applies is None and cap.annual_rate_exceeds:
            # Never "above the cap" while the lender may be licensed: above this figure, if the rule applies.
            out.append(say(texts, "rate_above_line_if_private", rate=rate))
    out.append(say(texts, {True: "cap_private", False: "cap_licensed", None: "cap_unknown"}[cap.applies]))
    if not cap.lpr_checked:
        checked, latest = long_date(rules.lpr_checked_through), str(rules.lpr[-1].percent)
        out.append(say(texts, "lpr_unconfirmed", checked=checked, latest=latest, used=long_date(day)))
    return out


def summary_paragraphs(
    answers: Answers, assessment: Assessment, rules: Rules, texts: VariantTexts, long_date: DateFormatter
) -> SummaryParagraphs:
    return SummaryParagraphs(
        penalty=[say(texts, "penalty_rule")],
        cap=cap_paragraphs(answers, assessment, rules, texts, long_date),
        credit=[say(texts, key) for key in ("credit_notice", "credit_kept", "credit_free", "credit_dispute")],
        visits=[say(texts, key) for key in ("visit_entry", "visit_guideline", "visit_detention", "visit_police")],
    )
