"""Render emails: subject, plain text and HTML, in the recipient's language.

Default templates are files, one set per language: ``emails/<language>/<name>.subject.txt``,
``.txt`` and ``.html`` (a whole text written in that language, not a sentence-by-sentence
translation); ``emails/<name>.*`` is the fallback for names without per-language files.

Organizations may override a template with their own text. Those templates run in a small
sandbox: the context holds only plain values, and ``template_problems`` refuses unknown
placeholders and any tag other than ``if``, ``for`` and ``comment`` when the template is saved.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Node, TextNode, Variable, VariableNode
from django.template.defaulttags import CommentNode, ForNode, IfNode, TemplateLiteral
from django.template.loader import render_to_string, select_template
from django.template.smartif import TokenBase
from django.utils.html import urlize
from django.utils.safestring import mark_safe
from django.utils.translation import override

# What must never reach a recipient: an unrendered Django placeholder or a gettext one.
LEFTOVER_MARKERS = ("{{", "}}", "{%", "%}", "%(")


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _candidates(name: str, language: str, suffix: str) -> list[str]:
    return [f"emails/{language}/{name}.{suffix}", f"emails/{name}.{suffix}"]


def render_email(
    name: str, context: dict[str, Any], *, language: str, footer_text: str = "", footer_html: str = ""
) -> RenderedEmail:
    """Render the default templates for ``name`` in ``language``.

    The HTML template is the body only; it is wrapped in the shared layout here, with the footer.
    """
    with override(language):
        subject = _render_plain(_candidates(name, language, "subject.txt"), context)
        text = _render_plain(_candidates(name, language, "txt"), context)
        body = render_to_string(_candidates(name, language, "html"), context)
    return _assemble(subject, text, body, language=language, footer_text=footer_text, footer_html=footer_html)


def render_email_source(
    *,
    subject: str,
    text: str,
    html: str,
    context: dict[str, Any],
    language: str,
    footer_text: str = "",
    footer_html: str = "",
) -> RenderedEmail:
    """Render an organization's own templates; with no HTML template, the HTML follows the text."""
    rendered_text = render_string(text, context, html=False, language=language)
    body = render_string(html, context, html=True, language=language) if html.strip() else ""
    return _assemble(
        render_string(subject, context, html=False, language=language),
        rendered_text,
        body or text_to_html(clean_text(rendered_text)),
        language=language,
        footer_text=footer_text,
        footer_html=footer_html,
    )


def _assemble(
    subject: str, text: str, body: str, *, language: str, footer_text: str, footer_html: str
) -> RenderedEmail:
    text = clean_text(text)
    if footer_text:
        text += "\n--\n" + footer_text.strip() + "\n"
    return RenderedEmail(
        subject=clean_subject(subject),
        text=text,
        html=render_layout(body, language=language, footer_html=footer_html),
    )


def _render_plain(names: list[str], context: dict[str, Any]) -> str:
    """Render a subject or text template without HTML escaping (“Jensen & Co”, not “&amp;”)."""
    template = select_template(names).template
    return str(template.render(Context(context, autoescape=False)))


def default_template_source(name: str, *, language: str, suffix: str) -> str:
    """The source of a default template file (shown as the starting point for an override)."""
    template = select_template(_candidates(name, language, suffix))
    source: str = template.template.source
    return source


def clean_subject(subject: str) -> str:
    return " ".join(subject.split())


def clean_text(text: str) -> str:
    # Templates are written with blank lines around their {% if %} blocks; keep one between paragraphs.
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out) + "\n"


def text_to_html(text: str) -> str:
    """Paragraphs of plain text as HTML paragraphs, with links made clickable."""
    paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    rendered = []
    for paragraph in paragraphs:
        lines = [urlize(line, autoescape=True) for line in paragraph.splitlines()]
        rendered.append(f'<p style="margin:0 0 16px;">{"<br>".join(lines)}</p>')
    return "\n".join(rendered)


# Organization-written templates ---------------------------------------------------------------

_text_engine = Engine(autoescape=False, libraries={}, app_dirs=False, dirs=[])
_html_engine = Engine(autoescape=True, libraries={}, app_dirs=False, dirs=[])
ALLOWED_NODES = (TextNode, VariableNode, IfNode, ForNode, CommentNode)


def render_string(source: str, context: dict[str, Any], *, html: bool, language: str) -> str:
    """Render an organization's template source with a context of plain values."""
    engine = _html_engine if html else _text_engine
    with override(language):
        return engine.from_string(source).render(Context(context, autoescape=html))


def render_layout(body_html: str, *, language: str, footer_html: str = "") -> str:
    """Wrap HTML paragraphs in the shared email layout."""
    # Both parts were rendered with escaping (or built from escaped pieces) before they get here.
    context = {"body": mark_safe(body_html), "footer": mark_safe(footer_html), "language": language}  # noqa: S308
    return render_to_string("emails/layout.html", context)


def template_problems(source: str, *, allowed: Collection[str]) -> list[str]:
    """What is wrong with a template an organization wrote, as sentences; empty if nothing."""
    try:
        template = _text_engine.from_string(source)
    except TemplateSyntaxError as error:
        return [f"The template cannot be read: {error}"]
    problems: list[str] = []
    for node in _walk(template.nodelist, set(allowed), problems):
        problems.append(f"“{_tag_text(node)}” cannot be used here; use placeholders, if and for.")
    return list(dict.fromkeys(problems))


def _tag_text(node: Node) -> str:
    token = getattr(node, "token", None)
    return "{% " + token.contents + " %}" if token is not None else type(node).__name__


def _walk(nodelist: Iterable[Any], names: set[str], problems: list[str]) -> Iterator[Node]:
    """Check each node's placeholders against ``names``; yield the nodes that are not allowed."""
    for node in nodelist:
        if not isinstance(node, ALLOWED_NODES):
            yield node
            continue
        if isinstance(node, TextNode) and leftover_markers(node.s):
            fragment = " ".join(node.s.split())[:40]
            problems.append(f"“{fragment}” has an unfinished placeholder; write it as {{{{ name }}}}.")
        for expression in _expressions(node):
            for variable in _variables(expression):
                root = str(variable.lookups[0]) if variable.lookups else ""
                if root and root not in names:
                    problems.append(f"“{{{{ {root} }}}}” is not a placeholder for this message.")
        if isinstance(node, ForNode):
            inner = names | set(node.loopvars) | {"forloop"}
            yield from _walk(node.nodelist_loop, inner, problems)
            yield from _walk(node.nodelist_empty, names, problems)
        elif isinstance(node, IfNode):
            for _, branch in node.conditions_nodelists:
                yield from _walk(branch, names, problems)


def _expressions(node: Node) -> Iterator[Any]:
    if isinstance(node, VariableNode):
        yield node.filter_expression
    elif isinstance(node, ForNode):
        yield node.sequence
    elif isinstance(node, IfNode):
        for condition, _ in node.conditions_nodelists:
            yield from _condition_expressions(condition)


def _condition_expressions(condition: Any) -> Iterator[Any]:
    if condition is None:
        return
    if isinstance(condition, TemplateLiteral):
        yield condition.value
    elif isinstance(condition, TokenBase):  # An operator: its operands are literals or operators.
        for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
            yield from _condition_expressions(part)


def _variables(expression: FilterExpression) -> Iterator[Variable]:
    if isinstance(expression.var, Variable) and expression.var.lookups:
        yield expression.var
    for _, args in expression.filters:
        for lookup, arg in args:
            if lookup and isinstance(arg, Variable) and arg.lookups:
                yield arg


def leftover_markers(text: str) -> list[str]:
    """Template or gettext markers left in rendered output."""
    return [marker for marker in LEFTOVER_MARKERS if marker in text]
