"""The emulator's text parsers, checked against what Telegram answers (tdlib's wording)."""

from __future__ import annotations

import pytest

from linli.emulator import FormatError, parse_html, parse_markdown, parse_markdown_v2, utf16_len
from linli.emulator.errors import ApiError
from linli.emulator.formatting import MAX_TEXT, command_entities, format_text


def _no_users(user_id: int) -> dict[str, object]:
    return {"id": user_id, "is_bot": False, "first_name": ""}


def test_html_parser_matches_telegram() -> None:
    text, entities = parse_html(
        '<b>bold <i>both</i></b> <a href="tg://user?id=5">u</a> <a href="t.me">l</a> '
        '<pre><code class="language-py">x</code></pre> <tg-spoiler>s</tg-spoiler> &lt;&#33;'
    )
    assert text == "bold both u l x s <!"
    kinds = [(e["type"], e["offset"], e["length"]) for e in entities]
    assert kinds == [
        ("bold", 0, 9),
        ("italic", 5, 4),
        ("text_mention", 10, 1),
        ("text_link", 12, 1),
        ("pre", 14, 1),
        ("spoiler", 16, 1),
    ]
    assert entities[3]["url"] == "http://t.me/" and entities[4]["language"] == "py"
    assert parse_html("🏟 <b>x</b>")[1] == [{"type": "bold", "offset": 3, "length": 1}]
    cases = {
        "🏟 🏟&lt;<abacaba": "Unclosed start tag at byte offset 13",
        "🏟 🏟&lt;<abac aba>": 'Unsupported start tag "abac" at byte offset 13',
        "🏟 🏟&lt;<i   =aba>": 'Empty attribute name in the tag "i" at byte offset 13',
        "🏟 🏟&lt;<i    aba  =  ": 'Unclosed start tag "i" at byte offset 13',
        "🏟 🏟&lt;</": "Unexpected end tag at byte offset 13",
        "🏟 🏟&lt;<i>a</i   ": "Unclosed end tag at byte offset 17",
        "🏟 🏟&lt;<i>a</em   >": (
            'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"'
        ),
        "a < b": 'Unsupported start tag "" at byte offset 2',
        "<span>x</span>": 'Tag "span" must have class "tg-spoiler" at byte offset 0',
    }
    for source, message in cases.items():
        with pytest.raises(FormatError) as err:
            parse_html(source)
        assert str(err.value) == message, source


def test_markdown_v2_parser() -> None:
    text, entities = parse_markdown_v2("*bold* _it_ __u__ ||s|| [l](https://x.y/) `c` \\.")
    assert text == "bold it u s l c ."
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "spoiler",
        "text_link",
        "code",
    ]
    for source, message in {
        "🏟 🏟_abacaba": "Can't find end of Italic entity at byte offset 9",
        "🏟 🏟```a ": "Can't find end of PreCode entity at byte offset 9",
        "[telegram\\.org](asd": "Can't find end of a URL at byte offset 16",
        "1+1": "Character '+' is reserved and must be escaped with the preceding '\\'",
    }.items():
        with pytest.raises(FormatError) as err:
            parse_markdown_v2(source)
        assert str(err.value) == message, source


def test_legacy_markdown_parser() -> None:
    text, entities = parse_markdown("*bold* _it_ `c` [link](example.com) \\*x")
    assert text == "bold it c link *x"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "italic", "offset": 5, "length": 2},
        {"type": "code", "offset": 8, "length": 1},
        {"type": "text_link", "offset": 10, "length": 4, "url": "http://example.com/"},
    ]
    with pytest.raises(FormatError) as err:
        parse_markdown("🏟 *bold")
    assert str(err.value) == "Can't find end of the entity starting at byte offset 5"


def test_offsets_are_utf16_code_units() -> None:
    assert utf16_len("a🏟b") == 4
    assert parse_markdown_v2("🏟 *x*")[1] == [{"type": "bold", "offset": 3, "length": 1}]
    assert command_entities("🏟 /start@linli_bot hi @ann") == [
        {"type": "bot_command", "offset": 3, "length": 16},
        {"type": "mention", "offset": 23, "length": 4},
    ]


def test_text_is_trimmed_with_its_entities_and_limited_after_parsing() -> None:
    def fmt(text: str, parse_mode: str | None = "HTML") -> tuple[str, list[dict[str, object]]]:
        return format_text(
            text,
            parse_mode,
            None,
            users=_no_users,
            limit=MAX_TEXT,
            too_long="message is too long",
            empty="message text is empty",
        )

    assert fmt("  <b> x </b>  ") == ("x", [{"type": "bold", "offset": 0, "length": 1}])
    assert fmt("<b>" + "x" * MAX_TEXT + "</b>")[0] == "x" * MAX_TEXT
    for text, description in {
        "<b> </b>": "Bad Request: message text is empty",
        "x" * (MAX_TEXT + 1): "Bad Request: message is too long",
        "<p>x</p>": (
            'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 0'
        ),
    }.items():
        with pytest.raises(ApiError) as err:
            fmt(text)
        assert (err.value.status, err.value.description) == (400, description), text
