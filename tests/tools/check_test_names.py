#!/usr/bin/python3
"""Fail when a Catch2 test name cannot be run by the name CTest gives it.

catch_discover_tests hands each name to CTest as one list item, and CTest
splits list items at ';': such a test is registered as two halves that
never match a test, so it fails on every run. CTest then runs each test as
`test_binary "<name>"`, and Catch reads an argument that starts with '-' as
an option and one that starts with '~' as "every test but": such a name
fails (or runs the wrong tests) the same way. Usage: check_test_names.py DIR
"""
import pathlib
import re
import sys

CASE = re.compile(r'\b(?:TEST_CASE|SCENARIO|TEMPLATE_TEST_CASE)\s*\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)')
PART = re.compile(r'"((?:[^"\\]|\\.)*)"')

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "tests")
bad = 0
for path in sorted(root.rglob("*.cpp")):
    text = path.read_text(encoding="utf-8")
    for match in CASE.finditer(text):
        name = "".join(PART.findall(match.group(1)))
        why = None
        if ";" in name:
            why = "holds ';' (CTest splits it)"
        elif name.startswith(("-", "~")):
            why = f"starts with '{name[0]}' (Catch reads it as {'an option' if name[0] == '-' else 'a negation'})"
        if why:
            line = text.count("\n", 0, match.start()) + 1
            print(f"{path}:{line}: test name {why}: {name}")
            bad += 1
checked = sum(1 for _ in root.rglob("*.cpp"))
print(f"{checked} test files checked, {bad} bad names")
sys.exit(1 if bad else 0)
