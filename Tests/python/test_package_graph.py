"""The target graph as Package.swift declares it, as docs/architecture.md
writes it, and as the sources import it: one graph."""

import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FRONT_ENDS = {"DigestCommands", "PreviewServer", "MembersServer"}
# What a front end may know of the project: the application layer, the
# model's value types, the HTTP limits, and (the command line) the servers it starts.
FRONT_END_MAY_KNOW = {"DigestApplication", "CoalitionData", "DigestModel", "BoundedHTTP", "PreviewServer",
                      "MembersServer"}


def declared():
    """{target: [dependency names]} of every target that is not a test, from SwiftPM itself."""
    dump = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    package = json.loads(dump.stdout)
    graph = {}
    for target in package["targets"]:
        if target["type"] == "test":
            continue
        names = []
        for dependency in target["dependencies"]:
            kind = next(iter(dependency))
            names.append(dependency[kind][0])
        graph[target["name"]] = names
    return graph


def documented():
    text = (ROOT / "docs" / "architecture.md").read_text()
    block = re.search(r"<!-- graph:begin -->\n```\n(.*?)```\n<!-- graph:end -->", text, re.S)
    assert block, "docs/architecture.md has no graph block"
    graph = {}
    for line in block.group(1).splitlines():
        name, _, rest = line.partition(": ")
        graph[name] = [] if rest == "(nothing)" else rest.split(", ")
    return graph


def imports(target):
    found = set()
    folder = ROOT / "Sources" / target
    for source in folder.rglob("*.swift"):
        for match in re.finditer(r"^(?:@_exported |@testable )?import (\w+)", source.read_text(), re.M):
            found.add(match.group(1))
    return found


def test_the_document_writes_the_graph_package_swift_declares():
    package, document = declared(), documented()
    assert set(document) == set(package), set(document) ^ set(package)
    for target, dependencies in package.items():
        assert document[target] == dependencies, (target, document[target], dependencies)


def test_every_module_of_the_project_a_target_imports_is_declared():
    package = declared()
    for target, dependencies in package.items():
        used = imports(target) & set(package)
        assert used <= set(dependencies), (target, sorted(used - set(dependencies)))


def test_front_ends_know_the_application_layer_and_the_model_only():
    package = declared()
    for target in FRONT_ENDS:
        project = {name for name in package[target] if name in package} | (imports(target) & set(package))
        assert project <= FRONT_END_MAY_KNOW, (target, sorted(project - FRONT_END_MAY_KNOW))
        assert "DigestApplication" in project, target


def test_no_swift_file_of_the_program_is_over_400_lines():
    """A file over 400 lines mixes jobs: split it by responsibility, named after what each part does."""
    long = {str(path.relative_to(ROOT)): count for path in (ROOT / "Sources").rglob("*.swift")
            if (count := len(path.read_text().splitlines())) > 400}
    assert not long, long
