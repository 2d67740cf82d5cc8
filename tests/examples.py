#!/usr/bin/env python3
"""examples.py BINARY SOURCE_ROOT - the examples of the docs are tests (TAP).

As jq runs its manual: the README's transcript, the man pages' EXAMPLES
and bedrock-ledger(1)'s SUMMARY example are run against the built program, and the suite fails
when the docs and the program part.

A block is tested when a marker stands on the line before it, a comment the
reader does not see: `; example: KIND` in man/*.scd, `<!-- example: KIND -->`
in README.md (a blank line may follow it). KIND is one of

  run            Run the block. A line `$ CMD` is a command, followed by its
                 expected standard output up to the next `$ ` line; a line
                 `...` stands for any run of lines, even none, and blank
                 lines at the end of an output are dropped. A block without
                 `$ ` lines is a shell script (sh -e). `run, needs PROG...`
                 runs it only where the programs PROG are installed.
  output of CMD  The block is the standard output of CMD, a command the
                 reader is not shown.
  file NAME      The block is written to NAME before any example runs.
  not run: WHY   The block is not run. At most MAX_NOT_RUN of them, so that
                 this stays the exception.

Every code block in a section named in DOCS must carry a marker: a new
example cannot slip in untested.

Each document runs in a scratch directory of its own, block after block in
document order, so a command sees the files of the ones before it. The
directory holds what the prose takes for granted: testdata/ (a link to the
source tree's), logs/ (a copy of testdata/sample/logs), profiles.json and
tags.json (what the aws commands of the man page write), handover-*.tgz and
handovers/ (archives of logs/), exportedlogs/ (a CloudWatch Logs export) and
the document's `file` blocks. On PATH are the program, as bedrock-ledger,
and a stand-in for the AWS CLI (see AWS); EDITOR is true.

Every command must exit 0, its standard output must match, and its standard
error may hold the program's warnings only. When the output changes on
purpose, the failure shows a diff: bring its `actual` side into the doc.
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

# (path, syntax, sections whose every code block must be marked)
DOCS = [
    ("README.md", "markdown", {"Example"}),
    ("man/bedrock-ledger.1.scd", "scdoc", {"SUMMARY", "EXAMPLES"}),
    ("man/bedrock-ledger-formats.5.scd", "scdoc", {"EXAMPLES"}),
]

# The one block not run today: the man page's cost worked by hand, which is
# arithmetic, not a command (the bc transcript after it checks the number).
MAX_NOT_RUN = 1

# No AWS account and no network in a test: the stand-in aws answers exactly
# the commands the docs show, from files of the test tree, and fails on any
# other, so a changed aws command in the docs is noticed here.
AWS = {
    "s3 sync s3://bucket/bedrock/ logs/": 'cp -R "$CANNED/logs/." logs/',
    "bedrock list-inference-profiles --type-equals APPLICATION": 'cat "$CANNED/profiles.json"',
    "resourcegroupstaggingapi get-resources --resource-type-filters "
    "bedrock:application-inference-profile": 'cat "$CANNED/tags.json"',
    "s3 cp s3://bucket/handover.tgz -": 'cat "$CANNED/handover.tgz"',
}

ELISION = "..."


class Block:
    """A code block and its marker (None: unmarked), or a stray marker (no block after it)."""

    def __init__(self, doc, line, section, marker, lines, stray=False):
        self.doc, self.line, self.section = doc, line, section
        self.marker, self.lines, self.stray = marker, lines, stray

    def where(self):
        return f"{self.doc}:{self.line}"


def scdoc_blocks(doc, text):
    """Fenced blocks of an scdoc page; a backslash escapes the next character."""
    lines = text.split("\n")
    section, i = None, 0
    while i < len(lines):
        m = re.match(r"#{1,2} (.*)", lines[i])
        if m:
            section = m.group(1).strip()
        if lines[i] == "```":
            start = i
            i += 1
            body = []
            while i < len(lines) and lines[i] != "```":
                body.append(re.sub(r"\\(.)", r"\1", lines[i]))
                i += 1
            m = re.match(r"; example: (.*)", lines[start - 1]) if start else None
            yield Block(doc, start + 1, section, m and m.group(1).strip(), body)
        elif re.match(r"; example:", lines[i]) and (i + 1 >= len(lines) or lines[i + 1] != "```"):
            yield Block(doc, i + 1, section, None, [], stray=True)
        i += 1


def markdown_blocks(doc, text):
    """Indented and fenced blocks of a Markdown file."""
    lines = text.split("\n")
    section, marker, marker_line, i = None, None, 0, 0
    while i < len(lines):
        line = lines[i]
        m = re.fullmatch(r"<!-- example: (.*) -->", line)
        if m:
            if marker:
                yield Block(doc, marker_line, section, None, [], stray=True)
            marker, marker_line = m.group(1).strip(), i + 1
            i += 1
            continue
        if line.startswith("```"):
            start, body = i, []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
        elif line.startswith("    ") and (i == 0 or not lines[i - 1].strip()):
            start, body = i, []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                body.append(lines[i][4:])
                i += 1
            while body and not body[-1].strip():
                body.pop()
            i -= 1
        else:
            m = re.match(r"#{1,2} (.*)", line)
            if m:
                section = m.group(1).strip()
            if line.strip() and marker:
                yield Block(doc, marker_line, section, None, [], stray=True)
                marker = None
            i += 1
            continue
        yield Block(doc, start + 1, section, marker, body)
        marker = None
        i += 1
    if marker:
        yield Block(doc, marker_line, section, None, [], stray=True)


def transcript(lines):
    """[(command, expected lines)] of a block of `$ ` lines."""
    steps = []
    for line in lines:
        if steps and steps[-1][0].endswith("\\") and not steps[-1][1]:
            steps[-1][0] += "\n" + line
        elif line.startswith("$ "):
            steps.append([line[2:], []])
        elif steps:
            steps[-1][1].append(line)
        else:
            raise ValueError("text before the first `$ ` line")
    for step in steps:
        while step[1] and not step[1][-1].strip():
            step[1].pop()
    return steps


def matches(expected, actual):
    pattern = "".join("(?:[^\n]*\n)*?" if e == ELISION else re.escape(e) + "\n" for e in expected)
    return re.fullmatch(pattern, "".join(a + "\n" for a in actual)) is not None


class Tap:
    def __init__(self):
        self.n = self.failed = 0

    def point(self, good, name, notes=()):
        self.n += 1
        name = name.replace("\n", " ")
        print(f"{'ok' if good else 'not ok'} {self.n} - {name}")
        for note in notes:
            print("#   " + note)
        self.failed += not good

    def skip(self, name, why):
        self.n += 1
        name = name.replace("\n", " ")
        print(f"ok {self.n} - {name} # SKIP {why}")


def write_tgz(path, tree):
    with tarfile.open(path, "w:gz") as tar:
        for top, dirs, files in os.walk(tree):
            dirs.sort()
            for name in sorted(files):
                full = os.path.join(top, name)
                tar.add(full, arcname=os.path.relpath(full, tree))


def scratch(src, binary, root):
    """The directory the examples of one document run in, and their environment."""
    bindir, canned, work = (os.path.join(root, d) for d in ("bin", "canned", "work"))
    for d in (bindir, canned, work):
        os.mkdir(d)
    os.symlink(os.path.abspath(binary), os.path.join(bindir, "bedrock-ledger"))
    stub = ["#!/bin/sh", "# aws, as examples.py stands it in", 'case "$*" in']
    stub += [f'"{args}") exec {action} ;;' for args, action in AWS.items()]
    stub += ['*) echo "aws stand-in (tests/examples.py): no answer for: aws $*" >&2; exit 1 ;;',
             "esac", ""]
    with open(os.path.join(bindir, "aws"), "w") as f:
        f.write("\n".join(stub))
    os.chmod(os.path.join(bindir, "aws"), 0o755)

    cases = os.path.join(src, "testdata", "cases")
    shutil.copytree(os.path.join(src, "testdata", "sample", "logs"), os.path.join(canned, "logs"))
    shutil.copy(os.path.join(cases, "attr-manifest-json", "profiles.json"), canned)
    shutil.copy(os.path.join(cases, "attr-manifest-tags", "tags.json"), canned)
    write_tgz(os.path.join(canned, "handover.tgz"), os.path.join(canned, "logs"))

    os.symlink(os.path.join(os.path.abspath(src), "testdata"), os.path.join(work, "testdata"))
    shutil.copytree(os.path.join(canned, "logs"), os.path.join(work, "logs"))
    shutil.copytree(os.path.join(cases, "cloudwatch-export", "exportedlogs"),
                    os.path.join(work, "exportedlogs"))
    for name in ("profiles.json", "tags.json"):
        shutil.copy(os.path.join(canned, name), work)
    os.mkdir(os.path.join(work, "handovers"))
    for name in ("handover-2025-05.tgz", "handover-2026-10.tgz", "handovers/handover-2026-09.tgz",
                 "handovers/handover-2026-10.tgz"):
        shutil.copy(os.path.join(canned, "handover.tgz"), os.path.join(work, name))

    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
               CANNED=canned, EDITOR="true", LC_ALL="C", TZ="UTC")
    env.pop("COLUMNS", None)  # the summary is 80 columns wide, as off a terminal
    return work, env


def run(argv, work, env):
    """(problems, standard output lines) of one command or script."""
    p = subprocess.run(argv, cwd=work, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=120)
    err = p.stderr.decode("utf-8", "replace").splitlines()
    problems = [f"exit status {p.returncode}"] if p.returncode != 0 else []
    if problems or any(not e.startswith("bedrock-ledger: warning: ") for e in err):
        problems += ["standard error:"] + ["  " + e for e in err]
    return problems, p.stdout.decode("utf-8", "replace").splitlines()


def expand(expected, actual):
    """expected with each `...` replaced by the lines it likely stands for, for a diff."""
    plain = [e for e in expected if e != ELISION]
    at = {}
    matcher = difflib.SequenceMatcher(None, plain, actual, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        at.update((a + k, b + k) for k in range(size))
    out, i, last = [], 0, -1
    for e in expected:
        if e != ELISION:
            out.append(e)
            last = at.get(i, last)
            i += 1
        else:
            following = next((at[j] for j in range(i, len(plain)) if j in at), len(actual))
            out += actual[last + 1:following]
    return out


def compare(expected, actual):
    if matches(expected, actual):
        return []
    diff = difflib.unified_diff(expand(expected, actual), actual, "expected (the docs)", "actual",
                                lineterm="")
    return ["standard output differs (lines a `...` stands for are shown as the docs'):"] + list(diff)


def run_block(tap, b, work, env):
    m = re.fullmatch(r"run(?:, needs (.+))?", b.marker)
    if b.marker.startswith("output of "):
        cmd = b.marker[len("output of "):]
        problems, out = run(["sh", "-c", cmd], work, env)
        tap.point(not problems and matches(b.lines, out), f"{b.where()}: output of $ {cmd}",
                  problems + compare(b.lines, out))
    elif not m:
        tap.point(False, f"{b.where()}: unknown marker 'example: {b.marker}'")
    elif m.group(1) and not all(shutil.which(p, path=env["PATH"]) for p in m.group(1).split()):
        tap.skip(f"{b.where()}: the block", f"needs {m.group(1)}, not installed")
    elif any(line.startswith("$ ") for line in b.lines):
        try:
            steps = transcript(b.lines)
        except ValueError as e:
            tap.point(False, f"{b.where()}: {e}")
            return
        for cmd, expected in steps:
            problems, out = run(["sh", "-c", cmd], work, env)
            tap.point(not problems and matches(expected, out), f"{b.where()}: $ {cmd}",
                      problems + compare(expected, out))
    else:
        problems, _ = run(["sh", "-e", "-c", "\n".join(b.lines)], work, env)
        if problems:
            problems += ["the script:"] + ["  " + line for line in b.lines]
        tap.point(not problems, f"{b.where()}: the script runs", problems)


def check_doc(tap, src, binary, doc, syntax, sections, not_run):
    with open(os.path.join(src, doc), encoding="utf-8") as f:
        text = f.read()
    blocks = list((scdoc_blocks if syntax == "scdoc" else markdown_blocks)(doc, text))
    unmarked = [b.where() for b in blocks
                if b.marker is None and not b.stray and b.section in sections]
    stray = [b.where() for b in blocks if b.stray]
    tap.point(not unmarked, f"{doc}: every code block of {', '.join(sorted(sections))} is marked",
              [f"{w}: no `example:` marker" for w in unmarked])
    tap.point(not stray, f"{doc}: every marker stands before a code block",
              [f"{w}: no code block after the marker" for w in stray])
    blocks = [b for b in blocks if b.marker]
    with tempfile.TemporaryDirectory(prefix="examples.") as root:
        work, env = scratch(src, binary, root)
        for b in blocks:
            if b.marker.startswith("file "):
                with open(os.path.join(work, b.marker[len("file "):]), "w") as f:
                    f.write("\n".join(b.lines) + "\n")
        for b in blocks:
            if b.marker.startswith("not run:"):
                not_run.append(b.where())
                tap.skip(b.where(), b.marker)
            elif not b.marker.startswith("file "):
                run_block(tap, b, work, env)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: examples.py BINARY SOURCE_ROOT")
    binary, src = sys.argv[1], sys.argv[2]
    tap, not_run = Tap(), []
    for doc, syntax, sections in DOCS:
        check_doc(tap, src, binary, doc, syntax, sections, not_run)
    tap.point(len(not_run) <= MAX_NOT_RUN,
              f"at most {MAX_NOT_RUN} example(s) not run (found {len(not_run)})", not_run)
    print(f"1..{tap.n}")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
