"""The Jinja2 peer of the render benchmark.

Translates the project's Mustache templates (templates/) into equivalent
Jinja2 templates, using a month's digest.json to tell lists from objects
from values, then times Jinja2 (with autoescape for HTML) rendering them
with that same data. Nothing is copied by hand, so the two always match.

    python3 render_peer.py TEMPLATES_DIR DIGEST_JSON [RENDERS]

Prints: milliseconds per HTML render, per text render.
"""
import json
import re
import sys
import time
from pathlib import Path

import jinja2

TAG = re.compile(r"\{\{\{\s*([\w.]+)\s*\}\}\}|\{\{([#^/!>&%]?)\s*([^}]*?)\s*\}\}", re.S)


def translate(source, data):
    """Mustache (the subset the templates use, partials already inlined) -> Jinja2 source."""
    out = []
    scopes = [("ctx", data)]  # (jinja expression, sample value)
    stack = []
    counter = [0]

    def resolve(name):
        if name == ".":
            return scopes[-1]
        first, *rest = name.split(".")
        for expr, value in reversed(scopes):
            if isinstance(value, dict) and first in value:
                value = value[first]
                expr = f"{expr}[{first!r}]"
                for part in rest:
                    value = value.get(part) if isinstance(value, dict) else None
                    expr = f"{expr}[{part!r}]"
                return expr, value
        return "none", None

    position = 0
    for match in TAG.finditer(source):
        out.append(source[position:match.start()].replace("{%", "{{ '{%' }}"))
        position = match.end()
        if match.group(1):
            out.append("{{ %s|safe }}" % resolve(match.group(1))[0])
            continue
        kind, name = match.group(2), match.group(3)
        if kind == "!" or kind == "%":
            continue
        if kind == "#":
            expr, value = resolve(name)
            counter[0] += 1
            var = f"v{counter[0]}"
            if isinstance(value, list):
                sample = value[0] if value else {}
                out.append("{%% for %s in (%s or []) %%}" % (var, expr))
                stack.append("endfor")
                scopes.append((var, sample))
            elif isinstance(value, dict):
                out.append("{%% if %s %%}{%% set %s = %s %%}" % (expr, var, expr))
                stack.append("endif")
                scopes.append((var, value))
            else:
                out.append("{%% if %s %%}" % expr)
                stack.append("endif")
                scopes.append((expr, value))
        elif kind == "^":
            out.append("{%% if not %s %%}" % resolve(name)[0])
            stack.append("endif")
            scopes.append(scopes[-1])
        elif kind == "/":
            out.append("{%% %s %%}" % stack.pop())
            scopes.pop()
        else:
            out.append("{{ %s }}" % resolve(name)[0])
    out.append(source[position:])
    return "".join(out)


def flatten(name, folder):
    text = (folder / f"{name}.mustache").read_text(encoding="utf-8")
    return re.sub(r"\{\{>\s*([\w/.-]+)\s*\}\}", lambda m: flatten(m.group(1), folder), text)


def main():
    folder, data_path = Path(sys.argv[1]), Path(sys.argv[2])
    renders = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    data = json.loads(data_path.read_text(encoding="utf-8"))
    html_env = jinja2.Environment(autoescape=True)
    text_env = jinja2.Environment(autoescape=False)
    html = html_env.from_string(translate(flatten("digest.html", folder), data))
    text = text_env.from_string(translate(flatten("digest.txt", folder), data))
    results = []
    for template in (html, text):
        template.render(ctx=data)
        start = time.perf_counter()
        for _ in range(renders):
            template.render(ctx=data)
        results.append((time.perf_counter() - start) / renders * 1000)
    print(f"{results[0]:.3f} {results[1]:.3f} {len(html.render(ctx=data))}")


if __name__ == "__main__":
    main()
