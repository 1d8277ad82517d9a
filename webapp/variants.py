"""The two script variants, as plain data (which one a request gets is negotiation.py's job)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    code: str  # in URLs and the cookie: zh-hans
    tag: str  # BCP 47, for <html lang> and hreflang: zh-Hans
    locale: str  # Babel / gettext: zh_Hans

    def __str__(self) -> str:
        return self.code


HANS = Variant("zh-hans", "zh-Hans", "zh_Hans")
HANT = Variant("zh-hant", "zh-Hant", "zh_Hant")
VARIANTS: dict[str, Variant] = {v.code: v for v in (HANS, HANT)}
DEFAULT = HANS
COOKIE = "variant"

_TRADITIONAL_REGIONS = {"tw", "hk", "mo"}


def script_of(language_tag: str) -> Variant | None:
    """The variant a Chinese language tag asks for; None for a tag that is not Chinese.

    The script subtag wins (zh-Hans-HK is Simplified); otherwise Taiwan, Hong Kong and Macau read Traditional.
    Cantonese (yue) is written in Traditional characters in Hong Kong and Macau.
    """
    parts = language_tag.strip().lower().replace("_", "-").split("-")
    if parts[0] not in {"zh", "yue"}:
        return None
    if "hant" in parts:
        return HANT
    if "hans" in parts:
        return HANS
    if parts[0] == "yue" or _TRADITIONAL_REGIONS & set(parts[1:]):
        return HANT
    return HANS
