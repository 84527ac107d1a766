"""Staff-written Markdown (lessons, campaigns) is rendered safely."""

import pytest

from saypro.core.markdown import is_site_path, render_markdown


def test_markdown_is_rendered():
    html = render_markdown("Hello **there**\n\n- one\n- two")
    assert "<strong>there</strong>" in html and "<li>one</li>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<style>body{display:none}</style>",
    ],
)
def test_no_script_or_unsafe_link_survives(source):
    html = render_markdown(source).lower()
    for unsafe in ("<script", "javascript:", "onerror", "<iframe", "data:", "<style", "<img"):
        assert unsafe not in html


def test_links_keep_site_paths_and_https_with_nofollow():
    html = render_markdown("[inbox](/messages/) and [docs](https://example.org/help)")
    assert html.count('rel="nofollow noopener"') == 2
    assert 'href="/messages/"' in html and 'href="https://example.org/help"' in html


@pytest.mark.parametrize(
    "url",
    [
        "https://en.wikipedia.org/wiki/Foo_(bar)",
        "https://en.wikipedia.org/wiki/Rock_'n'_Roll_(film)",
        "/help/articles/a_(b)_(c)/",
    ],
)
def test_link_destinations_keep_balanced_parentheses(url):
    html = render_markdown(f"See [click]({url}) (and more).")
    assert html == f'<p>See <a href="{url}" rel="nofollow noopener">click</a> (and more).</p>'
    titled = render_markdown(f'[click]({url} "Foo (bar)")')
    assert titled == f'<p><a href="{url}" title="Foo (bar)" rel="nofollow noopener">click</a></p>'


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert('md'))",
        '[click](javascript:alert("md"))',
        "[click](javascript:x())",
    ],
)
def test_an_unsafe_link_keeps_its_text_and_nothing_else(source):
    assert render_markdown(source) == '<p><a rel="nofollow noopener">click</a></p>'
    image = render_markdown(source.replace("[", "![", 1), images=True)
    assert image == '<p><img alt="click"></p>'


def test_protocol_relative_links_are_dropped():
    assert "evil.example" not in render_markdown("[x](//evil.example/)").split('"')[1:2]
    assert "href" not in render_markdown("[x](//evil.example/)")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/seller/", True),
        ("/messages/?box=all", True),
        ("//evil.example/", False),
        ("/\\evil.example", False),
        ("https://evil.example/", False),
        ("javascript:alert(1)", False),
        ("seller/", False),
        ("/a b", False),
    ],
)
def test_site_paths(value, expected):
    assert is_site_path(value) is expected


def test_images_only_where_allowed_and_only_from_safe_sources():
    source = "![A chart](/media/chart.png) ![x](javascript:alert(1))"

    with_images = render_markdown(source, images=True)
    without = render_markdown(source)

    assert '<img alt="A chart" src="/media/chart.png">' in with_images
    assert "javascript:" not in with_images and "<img" not in without
