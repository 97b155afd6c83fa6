"""Whether a responsible party's address, as the setup writes it, reads as one in the US.

47 CFR 2.1077(a)(3) and 2.909(b): the responsible party of a Supplier's Declaration of
Conformity is located in the United States. rfcheck cannot look an address up; it reads
the text, simply and as documented (``docs/record.md``, "Cross-checks"): an address reads as
one in the US when it names the country (``USA``, ``U.S.A.``, ``United States``) or ends a
line part with a US state or territory code and a 5-digit ZIP code (``TX 78701``, ``PR
00901-1234``), and its last part (after the last comma, semicolon or line break) does not
name somewhere else: a last part of letters only that is not the US (``Austin, TX 78701,
Mexico``) names the country the address is in, whatever came before it. Anything else
(``Shenzhen 518057, China``; ``Austin`` with no state and ZIP) is a record finding, not
``present``: the address may be in the US, but the record does not show it.
"""

from __future__ import annotations

import re

__all__ = ["US_STATE_CODES", "reads_as_us_address"]

#: The 50 states, DC, the inhabited territories (AS, GU, MP, PR, VI) and the military
#: "states" of APO/FPO addresses (AA, AE, AP): USPS two-letter codes.
US_STATE_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI AA AE "
    "AP".split()
)

#: The country named: ``USA``, ``U.S.A.``, ``US``, ``U.S.``, ``United States`` (of America),
#: case ignored.
_COUNTRY = re.compile(
    r"(?<![A-Za-z])(?:U\.?S\.?(?:A\.?)?|United\s+States(?:\s+of\s+America)?)(?![A-Za-z])",
    re.IGNORECASE,
)
#: A state code (upper case, as USPS writes it) then a ZIP or ZIP+4 code.
_STATE_ZIP = re.compile(r"(?<![A-Za-z])([A-Z]{2}),?\s+\d{5}(?:-\d{4})?(?!\d)")


#: The last part of an address: after its last comma, semicolon or line break.
_PARTS = re.compile(r"[,;\n]")


def _names_another_place(address: str) -> bool:
    """Whether the address's last part is a place name (letters only) other than the US."""
    parts = [x.strip(" \t\r") for x in _PARTS.split(address)]
    last = next((x for x in reversed(parts) if x), "")
    if not last or any(ch.isdigit() for ch in last) or last in US_STATE_CODES:
        return False
    return _COUNTRY.fullmatch(last) is None


def reads_as_us_address(address: str) -> bool:
    """Return whether ``address`` reads as in the US (see the module's rule).

    It names the US, or a US state code with a 5-digit ZIP code, and its last part does not
    name another country.
    """
    if _names_another_place(address):
        return False
    if _COUNTRY.search(address):
        return True
    return any(m.group(1) in US_STATE_CODES for m in _STATE_ZIP.finditer(address))
