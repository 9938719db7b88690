"""Query-string values that pages read as text, made safe before they reach a query."""

# Longer than any indicator name an office writes; a longer value matches nothing anyway.
MAX_TEXT_PARAM = 2000


def indicator_name_param(request):
    """The indicator name a comparison is narrowed to (`?indikator=`), or None.

    A value no indicator can have (a NUL or other control character, which PostgreSQL
    refuses in a query, or an absurd length) is treated as no choice at all.
    """
    name = request.GET.get("indikator", "")
    if not name or len(name) > MAX_TEXT_PARAM or any(ord(c) < 32 for c in name):
        return None
    return name
