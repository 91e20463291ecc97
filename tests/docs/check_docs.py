#!/usr/bin/env python3
"""Checks the documentation against the code it describes.

  check_docs.py links  --source DIR
  check_docs.py blocks --source DIR --uvgen UVGEN --nim NIM [--nim NIM2 ...] --work DIR
  check_docs.py help   --source DIR --uvgen UVGEN

help: rewrites every `<!-- uvgen-help: COMMAND -->` block of the pages with what uvgen prints now
(after a change to a command's options).

links: every relative link in the project's Markdown files names a file that exists, and an
anchor (`page.md#a-heading`) a heading of that page.

blocks: every fenced code block of README.md and docs/*.md is checked, as the HTML comment on the
line before it says (a block without one is checked by its language):

  <!-- excerpt -->  or  <!-- excerpt: why -->   not checked (a fragment, or a command that
                                                installs packages; say why)
  <!-- file: PATH -->          the block is the whole file PATH (which its own test builds)
  <!-- from: PATH -->          the block's lines are consecutive lines of PATH
  <!-- run -->                 a sh block, run with bash in a scratch folder holding a copy of
                               schema/, bench/, bindings/ and docs/examples/, with
                               build/generator/uvgen and `uvgen` on PATH
  <!-- uvgen-help: COMMAND --> the block is what `uvgen COMMAND --help` prints
                               (`uvgen --help` for an empty COMMAND)
  (none), nim                  `nim check` against both flavours of the Nim package and uvio,
                               with every NIM given; no warning of deprecation, no error
  (none), c                    compiled with -Wall -Wextra -Werror against the shim's header
  (none), text or no language  shown as is (output, a picture), unless a line starts with
                               `uvgen `: then it must be marked
  (none), anything else        an error: mark it

Every problem is one line naming the file and the block's first line; the exit status is 1 if
there was any. Only the standard library is used.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^(```+)\s*([\w+-]*)\s*$")
MARKER = re.compile(r"^<!--\s*([\w-]+)\s*(?::\s*(.*?))?\s*-->$")
LINK = re.compile(r"\[(?:[^\]\\]|\\.)*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


class Block:
    def __init__(self, path, line, language, text, marker, argument):
        self.path, self.line, self.language, self.text = path, line, language, text
        self.marker, self.argument = marker, argument

    def where(self):
        return f"{self.path}:{self.line}"


def markdown_lines(path):
    """The lines of a Markdown file, and for each whether it is inside a fenced block."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    inside, fence, flags = False, "", []
    for line in lines:
        m = FENCE.match(line)
        if not inside and m:
            inside, fence = True, m.group(1)
            flags.append(True)
        elif inside and line.strip() == fence:
            inside = False
            flags.append(True)
        else:
            flags.append(inside)
    return lines, flags


def blocks_of(path, shown_as):
    lines, _ = markdown_lines(path)
    found, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, language, start = m.group(1), m.group(2), i
        i += 1
        body = []
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i])
            i += 1
        i += 1
        marker, argument = "", ""
        before = start - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        if before >= 0:
            mm = MARKER.match(lines[before].strip())
            if mm:
                marker, argument = mm.group(1), (mm.group(2) or "").strip()
        found.append(Block(shown_as, start + 1, language, "\n".join(body) + "\n", marker, argument))
    return found


def slug(heading):
    text = re.sub(r"`|\*\*|\*|_(?=\w)|(?<=\w)_", "", heading.strip().lower())
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors_of(path):
    lines, inside = markdown_lines(path)
    seen, anchors = {}, set()
    for line, in_block in zip(lines, inside):
        m = HEADING.match(line)
        if m and not in_block:
            s = slug(m.group(1))
            n = seen.get(s, 0)
            anchors.add(s if n == 0 else f"{s}-{n}")
            seen[s] = n + 1
    return anchors


def markdown_files(source):
    files = []
    for top in ("README.md",):
        if os.path.exists(os.path.join(source, top)):
            files.append(top)
    for folder in ("docs", "schema", "fuzz", "examples", "bindings", "bench", "tests"):
        for root, dirs, names in os.walk(os.path.join(source, folder)):
            dirs.sort()
            for name in sorted(names):
                if name.endswith(".md"):
                    files.append(os.path.relpath(os.path.join(root, name), source))
    return files


def check_links(source):
    problems = []
    for relative in markdown_files(source):
        path = os.path.join(source, relative)
        lines, inside = markdown_lines(path)
        for number, (line, in_block) in enumerate(zip(lines, inside), 1):
            if in_block:
                continue
            for target in LINK.findall(re.sub(r"`[^`]*`", "", line)):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    continue  # https:, mailto:
                file_part, _, anchor = target.partition("#")
                linked = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
                if not os.path.exists(linked):
                    problems.append(f"{relative}:{number}: link to {target}: {file_part} does not exist")
                elif anchor and linked.endswith(".md") and anchor not in anchors_of(linked):
                    problems.append(f"{relative}:{number}: link to {target}: no heading #{anchor} in {file_part or relative}")
    return problems


def run(argv, cwd=None, env=None, timeout=600):
    try:
        r = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, f"timed out after {timeout} s"
    return r.returncode, r.stdout.decode("utf-8", "replace")


def first_lines(text, count=15):
    lines = text.strip().split("\n")
    return "\n    ".join(lines[:count] + (["..."] if len(lines) > count else []))


class BlockChecker:
    def __init__(self, args):
        self.source = os.path.abspath(args.source)
        self.uvgen = os.path.abspath(args.uvgen)
        self.nims = args.nim
        self.work = os.path.abspath(args.work)
        self.count = 0

    def scratch(self):
        folder = tempfile.mkdtemp(prefix="block-", dir=self.work)
        for name in ("schema", "bench", "bindings", os.path.join("docs", "examples")):
            shutil.copytree(os.path.join(self.source, name), os.path.join(folder, name), symlinks=False)
        os.makedirs(os.path.join(folder, "build", "generator"))
        os.symlink(self.uvgen, os.path.join(folder, "build", "generator", "uvgen"))
        return folder

    def check(self, block):
        method = {
            "excerpt": lambda b: None,
            "file": self.same_as_file,
            "from": self.lines_of_file,
            "run": self.run_shell,
            "uvgen-help": self.help_text,
        }.get(block.marker)
        if block.marker and method is None:
            return f"unknown marker <!-- {block.marker} -->"
        if method:
            return method(block)
        if block.language == "nim":
            return self.nim_check(block)
        if block.language == "c":
            return self.c_compile(block)
        if block.language in ("", "text"):
            if any(line.startswith("uvgen ") for line in block.text.split("\n")):
                return "a uvgen command line: mark it <!-- run --> (or <!-- excerpt: why -->)"
            return None
        return f"a {block.language} block that nothing checks: mark it (see tests/docs/check_docs.py)"

    def file_text(self, relative):
        path = os.path.join(self.source, relative)
        if not os.path.isfile(path):
            return None
        with open(path, encoding="utf-8") as f:
            return f.read()

    def same_as_file(self, block):
        text = self.file_text(block.argument)
        if text is None:
            return f"{block.argument} does not exist"
        if text != block.text:
            return f"differs from {block.argument}: copy the file into the page again"
        return None

    def lines_of_file(self, block):
        text = self.file_text(block.argument)
        if text is None:
            return f"{block.argument} does not exist"
        if block.text.rstrip("\n") not in text:
            return f"is not consecutive lines of {block.argument}: copy them into the page again"
        return None

    def run_shell(self, block):
        if block.language != "sh":
            return "only sh blocks can be run"
        folder = self.scratch()
        env = dict(os.environ)
        env["PATH"] = os.path.dirname(self.uvgen) + os.pathsep + env.get("PATH", "")
        status, out = run(["bash", "-euo", "pipefail", "-c", block.text], cwd=folder, env=env)
        if status != 0:
            return f"exits {status}:\n    {first_lines(out)}"
        shutil.rmtree(folder, ignore_errors=True)
        return None

    def help_text(self, block):
        argv = [self.uvgen] + ([block.argument] if block.argument else []) + ["--help"]
        status, out = run(argv)
        if status != 0:
            return f"`{' '.join(argv[1:])}` exits {status}"
        if out != block.text:
            return f"is not what `uvgen {block.argument} --help` prints now: copy it into the page again"
        return None

    def nim_check(self, block):
        name = f"block_{self.count}"
        self.count += 1
        path = os.path.join(self.work, name + ".nim")
        with open(path, "w", encoding="utf-8") as f:
            f.write(block.text)
        uvio = os.path.join(self.source, "bindings", "uvio")
        for nim in self.nims:
            for flavour in ("nim", "nim-direct"):
                bindings = os.path.join(self.source, "bindings", flavour)
                cache = os.path.join(self.work, "nimcache", f"{name}-{os.path.basename(os.path.dirname(os.path.dirname(nim)))}-{flavour}")
                status, out = run([nim, "check", "--hints:off", f"--nimcache:{cache}", f"--path:{uvio}",
                                   f"--path:{bindings}", path])
                if status != 0 or "Error:" in out or "[Deprecated]" in out:
                    return f"`nim check` with {nim} against bindings/{flavour} fails:\n    {first_lines(out)}"
        return None

    def c_compile(self, block):
        path = os.path.join(self.work, f"block_{self.count}.c")
        self.count += 1
        with open(path, "w", encoding="utf-8") as f:
            f.write(block.text)
        status, out = run(["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
                           "-I", os.path.join(self.source, "shim"), path])
        if status != 0:
            return f"does not compile:\n    {first_lines(out)}"
        return None


def check_blocks(args):
    os.makedirs(args.work, exist_ok=True)
    checker = BlockChecker(args)
    pages = ["README.md"] + [os.path.join("docs", n) for n in sorted(os.listdir(os.path.join(args.source, "docs")))
                             if n.endswith(".md")]
    problems, checked = [], 0
    for page in pages:
        for block in blocks_of(os.path.join(args.source, page), page):
            problem = checker.check(block)
            checked += 1
            if problem:
                problems.append(f"{block.where()}: {problem}")
    print(f"{checked} code blocks in {len(pages)} pages")
    return problems


def update_help(args):
    pages = ["README.md"] + [os.path.join("docs", n) for n in sorted(os.listdir(os.path.join(args.source, "docs")))
                             if n.endswith(".md")]
    for page in pages:
        path = os.path.join(args.source, page)
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        out, i = [], 0
        while i < len(lines):
            out.append(lines[i])
            m = MARKER.match(lines[i].strip())
            if m and m.group(1) == "uvgen-help" and i + 1 < len(lines) and FENCE.match(lines[i + 1]):
                command = (m.group(2) or "").strip()
                status, text = run([os.path.abspath(args.uvgen)] + ([command] if command else []) + ["--help"])
                if status != 0:
                    return [f"{page}:{i + 1}: `uvgen {command} --help` exits {status}"]
                fence = FENCE.match(lines[i + 1]).group(1)
                out.append(lines[i + 1])
                out.extend(text.rstrip("\n").split("\n"))
                i += 2
                while i < len(lines) and lines[i].strip() != fence:
                    i += 1
                continue
            i += 1
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(out))
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["links", "blocks", "help"])
    parser.add_argument("--source", required=True)
    parser.add_argument("--uvgen")
    parser.add_argument("--nim", action="append", default=[])
    parser.add_argument("--work")
    args = parser.parse_args()
    if args.what == "links":
        problems = check_links(args.source)
    elif args.what == "help":
        if not args.uvgen:
            parser.error("help needs --uvgen")
        problems = update_help(args)
    else:
        if not (args.uvgen and args.nim and args.work):
            parser.error("blocks needs --uvgen, --nim and --work")
        problems = check_blocks(args)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
