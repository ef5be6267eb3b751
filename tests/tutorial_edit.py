"""Put one code block of the tutorial into a file of the plugin, as its reader would.

    python tutorial_edit.py FILE BLOCK LANGUAGE

- A file that does not exist yet gets the block as it is.
- Python: the block's imports join the file's imports (ruff then sorts them, as the reader
  puts them "next to the others"); each function, class or assignment in the block replaces the
  one of the same name in the file, or is appended.
- po: each msgid of the block gets the block's msgstr, and loses gettext's fuzzy mark. The
  msgid must already be in the file: the tutorial says makemessages put it there.

Exits with a message when the block does not fit the file, so the tutorial cannot drift away
from the generated code unnoticed.
"""

import ast
import re
import subprocess
import sys
from pathlib import Path


def named(node):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    return None


def span(node):
    """First and last line (1-based, inclusive) of a top-level statement, with its decorators."""
    first = min([node.lineno, *(decorator.lineno for decorator in getattr(node, "decorator_list", []))])
    return first, node.end_lineno


def merge_python(path, block):
    lines = path.read_text().splitlines()
    tree = ast.parse("\n".join(lines))
    block_lines = block.splitlines()
    imports, definitions = [], []
    for node in ast.parse(block).body:
        first, last = span(node)
        text = "\n".join(block_lines[first - 1 : last])
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(text)
        elif named(node):
            definitions.append((named(node), text))
        else:
            sys.exit(f"{path}: the tutorial block has a statement that is neither an import nor a definition:\n{text}")

    existing = {named(node): span(node) for node in tree.body if named(node)}
    replaced = sorted(((existing[name], text) for name, text in definitions if name in existing), reverse=True)
    # From the bottom up, so that the line numbers of earlier definitions stay valid.
    for (first, last), text in replaced:
        lines[first - 1 : last] = text.splitlines()
    for name, text in definitions:
        if name not in existing:
            lines += ["", "", *text.splitlines()]

    import_ends = [node.end_lineno for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    last_import = max(import_ends, default=0)
    lines[last_import:last_import] = imports
    path.write_text("\n".join(lines) + "\n")
    subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", "--select", "I", "--fix", str(path)], check=True)


def merge_po(path, block):
    text = path.read_text()
    for msgid, msgstr in re.findall(r'^msgid (".*")\nmsgstr (".*")$', block, flags=re.M):
        entry = re.compile(r"(?:^#[,|].*\n)*(^msgid " + re.escape(msgid) + r'\n)msgstr ".*"\n(?:".*"\n)*', flags=re.M)
        match = entry.search(text)
        if not match:
            sys.exit(f"{path}: makemessages did not add msgid {msgid}")
        text = text[: match.start()] + f"{match[1]}msgstr {msgstr}\n" + text[match.end() :]
    path.write_text(text)


def main():
    path, block, language = Path(sys.argv[1]), Path(sys.argv[2]).read_text(), sys.argv[3]
    if not path.exists():
        path.write_text(block)
    elif language == "python":
        merge_python(path, block)
    elif language == "po":
        merge_po(path, block)
    else:
        sys.exit(f"{path}: no rule for putting a {language} block into an existing file")


if __name__ == "__main__":
    main()
