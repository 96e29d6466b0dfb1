#!/usr/bin/env python3
"""Generate inputs that once made the checker slow or hungry.

    gen-pathological.py KIND N > file.df

KIND is one of:
  errors      N independent errors (calls of unknown stages)
  long-line   one statement line of about N bytes, with an error at its end
              and control bytes in a comment on it
  long-name   a stage named with N characters, called misspelt (one
              "did you mean" over candidates of the same length)
  aliases     a chain of N type aliases, each defined by the next one
  par         a `par` of N branches
  missing     a `par` of N branches, each missing its input (every error
              looks for a later producer of the value)
  statements  a flow of N statements (memory per statement)

Every input is diagnosed or accepted in a way tests/check/pathological
asserts; bench/check-bench.py --pathological times them.
"""
import sys


def errors(n):
    out = ["stage known(x: int) -> (x: int);\n", "flow f(x: int) -> (x: int) {\n"]
    out += [f"    unknown_{i};\n" for i in range(n)]
    out.append("    known;\n}\n")
    return "".join(out)


def long_line(n):
    calls = "s; " * max(1, n // 3)
    return ("stage s(x: int) -> (x: int);\n"
            f"flow f(x: int) -> (x: int) {{ {calls}/* \x01\x1b[31m */ nope; s; }}\n")


def long_name(n):
    name = "a" * n
    # Candidates of the same length, each far from the misspelling, so
    # every one of them is compared.
    others = "".join(f"stage {'b' * (n - 1)}{c}(x: int);\n" for c in "cdefgh")
    return (f"stage {name}(x: int);\n{others}"
            f"flow f(x: int) {{ {name[:-1]}z; }}\n")


def aliases(n):
    out = [f"type t{i} = t{i + 1};\n" for i in range(n - 1)]
    out.append(f"type t{n - 1} = int;\n")
    out.append("stage s(x: t0) -> (y: t0);\n")
    out.append("flow f(x: t0) -> (y: t0) { s; }\n")
    return "".join(out)


def par(n):
    out = ["stage src(x: int) -> (y: int);\n"]
    out += [f"stage b{i}(y: int);\n" for i in range(n)]
    out.append("flow f(x: int) {\n    src;\n    par {\n")
    out += [f"        b{i};\n" for i in range(n)]
    out.append("    }\n}\n")
    return "".join(out)


def missing(n):
    out = ["stage src(x: int) -> (y: int);\n"]
    out += [f"stage b{i}(z: int);\n" for i in range(n)]
    out.append("flow f(x: int) {\n    src;\n    par {\n")
    out += [f"        b{i};\n" for i in range(n)]
    out.append("    }\n}\n")
    return "".join(out)


def statements(n):
    return ("stage step(x: int) -> (x: int);\n"
            "flow f(x: int) -> (x: int) {\n" + "    step;\n" * n + "}\n")


KINDS = {"errors": errors, "long-line": long_line, "long-name": long_name,
         "aliases": aliases, "par": par, "missing": missing, "statements": statements}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in KINDS:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(KINDS)}}} N")
    sys.stdout.write(KINDS[sys.argv[1]](int(sys.argv[2])))


if __name__ == "__main__":
    main()
