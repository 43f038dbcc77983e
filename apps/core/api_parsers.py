"""How the API reads a JSON body (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES), under the input policy.

Kept apart from apps/core/api.py for the reason apps/core/api_lists.py is: DRF reads these settings
while its views are being imported.
"""

from rest_framework import exceptions, parsers

from .inputs import JSON_MAX_DEPTH, is_storable


def _refuse_unreadable(data) -> None:
    """Walks the parsed body without recursion: too deep, or a string that cannot be stored, is refused."""
    stack = [(data, 0, "the body")]
    while stack:
        value, depth, where = stack.pop()
        if depth >= JSON_MAX_DEPTH:
            raise exceptions.ParseError(f"The JSON nests deeper than {JSON_MAX_DEPTH} levels.")
        if isinstance(value, str):
            if not is_storable(value):
                raise exceptions.ParseError(
                    f"The value at {where} holds a character that cannot be stored (a NUL or a lone surrogate)."
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                if not is_storable(key):
                    raise exceptions.ParseError("A name in the JSON holds a character that cannot be stored.")
                stack.append((item, depth + 1, key))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, f"{where}[{n}]") for n, item in enumerate(value))


class PortalJSONParser(parsers.JSONParser):
    """JSON, refused whole (400) when it nests too deep or holds a NUL or a lone surrogate."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(f"The JSON nests deeper than {JSON_MAX_DEPTH} levels.") from None
        _refuse_unreadable(data)
        return data
