"""Money, dates and numbers in the reader's locale, through Babel (Flask-Babel picks it per request)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import Flask
from flask_babel import format_currency, format_date
from markupsafe import Markup


def money(amount: Decimal | int | str) -> str:
    """CNY as both variants' readers write it: ¥12,345.60. (Babel's zh_Hant data would write CN¥, the symbol
    that tells RMB apart from Japanese yen for a Taiwan reader; our readers are paid in RMB and write ¥.)"""
    # Babel would round half-even; our money rule is half-up to the fen, done here before formatting.
    fen = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return str(format_currency(fen, "CNY", format="¥#,##0.00"))


def long_date(day: date) -> str:
    """2026年11月28日, the long form both locales use."""
    return str(format_date(day, format="long"))


def nowrap(text: str) -> Markup:
    """A date or a figure kept on one line: CJK text may otherwise break inside 2026年11月|28日."""
    return Markup('<span class="nowrap">{}</span>').format(text)


def init_app(app: Flask) -> None:
    app.add_template_filter(money, "money")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(nowrap, "nowrap")
