#!/usr/bin/env python3
"""Checks of the project's Markdown documentation (every tracked *.md file):
  - every relative link resolves to a file in the repository, and a #fragment to a heading of it;
  - every `make TARGET` in code (spans and fenced blocks) is a target of the Makefile;
  - every `mixpe COMMAND` in code is a subcommand of the binary (and `mixpe gen BLOCK` a block);
  - every repository path in code (generator/..., docs/..., scripts/..., a `name.*` pattern) exists;
  - no document is over 100 KB, and no line of one is repeated dozens of times (a faulty edit
    that inserts text between every character, or a loop's output pasted in, fails here).

Usage: check_docs.py MIXPE [--root DIR]        check the repository's documentation
       check_docs.py MIXPE --self-test          plant a broken link and an oversized file in a copy
                                                 and require both to be reported
Prints one line per problem and a closing "N passed, N failed" line; exits 1 on any problem."""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

MAX_BYTES = 100 * 1024
MAX_REPEATS = 24  # a non-blank line (table rules and code fences aside) seen more often than this

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
REPO_PATH = re.compile(r"(?<![\w/.-])((?:generator|rtl|tb|tests|scripts|docs|third_party)/[\w./-]*\w)")
FENCE = re.compile(r"^\s*(```|~~~)")
SPAN = re.compile(r"`([^`\n]+)`")


def tracked_docs(root):
    out = subprocess.run(["git", "-C", root, "ls-files", "*.md"], capture_output=True, text=True, check=True).stdout
    return sorted(p for p in out.split("\n") if p)


def slug(heading):
    """GitHub's anchor of a heading: lower case, punctuation other than - and _ dropped, spaces to -."""
    h = re.sub(r"`|\*\*|\*", "", heading.strip().lower())
    h = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", h)
    h = re.sub(r"[^\w\- ]", "", h)
    return h.replace(" ", "-")


def anchors(text):
    seen, out = {}, set()
    in_code = False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_code = not in_code
        m = None if in_code else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            s = slug(m.group(1))
            n = seen.get(s, 0)
            seen[s] = n + 1
            out.add(s if n == 0 else f"{s}-{n}")
    return out


def code_text(text):
    """The text of the code spans and fenced blocks: where commands are written."""
    parts, in_code = [], False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            parts.append(line)
        else:
            parts.extend(SPAN.findall(line))
    return "\n".join(parts)


def make_targets(root):
    targets = set()
    for line in open(os.path.join(root, "Makefile")):
        m = re.match(r"^([A-Za-z0-9_.-]+(?:\s+[A-Za-z0-9_.-]+)*)\s*:(?!=)", line)
        if m and not line.startswith("\t"):
            targets.update(m.group(1).split())
        if line.startswith(".PHONY:"):
            targets.update(line.split(":", 1)[1].split())
    return targets


def subcommands(mixpe, *words):
    """The subcommands CLI11's help lists for `mixpe WORDS --help`."""
    out = subprocess.run([mixpe, *words, "--help"], capture_output=True, text=True).stdout
    names, in_list = set(), False
    for line in out.split("\n"):
        if line.startswith("Subcommands:"):
            in_list = True
        elif in_list and re.match(r"^  [a-z]", line):
            names.add(line.split()[0])
    return names


def check(root, mixpe):
    problems = []
    targets = make_targets(root)
    commands = subcommands(mixpe)
    blocks = subcommands(mixpe, "gen")
    docs = tracked_docs(root)
    texts = {}
    for d in docs:
        path = os.path.join(root, d)
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            problems.append(f"{d}: {size} bytes, over the {MAX_BYTES} a document may have (split it, or is it corrupted?)")
            continue
        texts[d] = open(path, encoding="utf-8", errors="replace").read()
    for d, text in texts.items():
        counts = {}
        for line in text.split("\n"):
            s = line.strip()
            if s and not re.fullmatch(r"[|:\- `~]*", s):
                counts[s] = counts.get(s, 0) + 1
        for s, n in sorted(counts.items()):
            if n > MAX_REPEATS:
                problems.append(f"{d}: the line {s[:60]!r} appears {n} times (a faulty edit?)")
        for target in LINK.findall(text):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                continue
            file, _, frag = target.partition("#")
            dest = os.path.normpath(os.path.join(os.path.dirname(d), file)) if file else d
            full = os.path.join(root, dest)
            if file and not os.path.exists(full):
                problems.append(f"{d}: link to '{target}': {dest} does not exist")
            elif frag and dest.endswith(".md"):
                if dest not in texts and os.path.exists(full):
                    texts_dest = open(full, encoding="utf-8", errors="replace").read()
                else:
                    texts_dest = texts.get(dest, "")
                if frag not in anchors(texts_dest):
                    problems.append(f"{d}: link to '{target}': {dest} has no heading #{frag}")
        code = code_text(text)
        for t in sorted(set(re.findall(r"(?<![\w/-])make ([a-z][a-z0-9_-]*)", code))):
            if t not in targets:
                problems.append(f"{d}: `make {t}` is not a target of the Makefile")
        for cmd, sub in sorted(set(re.findall(r"(?<![\w-])mixpe ([a-z][a-z0-9-]*)(?: ([a-z][a-z0-9-]*))?", code))):
            if cmd not in commands:
                problems.append(f"{d}: `mixpe {cmd}` is not a subcommand of mixpe")
            elif cmd == "gen" and sub and sub not in blocks:
                problems.append(f"{d}: `mixpe gen {sub}` is not a block of mixpe gen")
        for path in sorted(set(REPO_PATH.findall(code))):
            if not glob.glob(os.path.join(root, glob.escape(path)) + "*"):
                problems.append(f"{d}: `{path}` names no file or directory of the repository")
    return docs, problems


def self_test(mixpe, root):
    """A copy of the documentation with a broken link and an oversized file: both must be found."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["git", "-C", tmp, "init", "-q"], check=True)
        shutil.copy(os.path.join(root, "Makefile"), tmp)
        with open(os.path.join(tmp, "README.md"), "w") as f:
            f.write("# Title\n\nSee [the manual](docs/missing.md) and [a heading](#title).\n")
        os.makedirs(os.path.join(tmp, "docs"))
        with open(os.path.join(tmp, "docs", "big.md"), "w") as f:
            f.write("x" * (MAX_BYTES + 1))
        subprocess.run(["git", "-C", tmp, "add", "."], check=True)
        _, problems = check(tmp, mixpe)
    want = ["docs/missing.md does not exist", "over the"]
    return [f"self-test: a planted {w!r} was not reported" for w in want if not any(w in p for p in problems)]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mixpe")
    p.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    p.add_argument("--self-test", action="store_true")
    a = p.parse_args()
    if a.self_test:
        problems = self_test(a.mixpe, a.root)
        checked = 2
    else:
        docs, problems = check(a.root, a.mixpe)
        checked = len(docs)
    for line in problems:
        print(line)
    failed = len({line.split(":")[0] for line in problems})
    print(f"{checked - min(failed, checked)} passed, {failed} failed")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
