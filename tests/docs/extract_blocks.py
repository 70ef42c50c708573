#!/usr/bin/env python3
"""Prints the runnable command blocks of Markdown files as one bash script.

A fenced block whose info string is `sh` is a command block: the docs promise it works as written, so
tests/e2e/docs_test.sh runs it. `text` (syntax, output) and other blocks are not run. Each block is
preceded by a marker line `::block FILE:LINE` and followed by `::ok FILE:LINE`, so the runner can tell
which block failed. Usage: extract_blocks.py FILE.md...
"""
import sys


def blocks(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```sh":
            start = i + 1
            j = start
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            if j == len(lines):
                sys.exit(f"{path}:{start}: unterminated ```sh block")
            yield start, "\n".join(lines[start:j])
            i = j
        i += 1


def main():
    for path in sys.argv[1:]:
        for line, body in blocks(path):
            where = f"{path}:{line}"
            print(f"echo '::block {where}'")
            print(body)
            print(f"echo '::ok {where}'")


if __name__ == "__main__":
    main()
