#!/usr/bin/env python3
"""Checks every cell of `stepwise run --format csv` against an independent reference.

Standard library only: the reference recomputes the course's objective f = 0.1*w1**2 + 2*w2**2 (gradient
(0.2*w1, 4*w2)) from (-5, -2) with decimal.Decimal at PREC significant digits, for the problems named
on the command line:

    gd:lr          momentum:lr:beta          rmsprop:lr:gamma:eps (eps inside the root)
    adam:lr:beta1:beta2:eps (bias-corrected, eps after the root)

A cell passes when the reference lies within one unit of the cell's last printed digit, or, for a cell
printed as an interval "[m +- r]", within r of m.  Usage:

    stepwise run --format csv --digits 28 | check_cells.py --prec 80 gd=gd:0.4 adam=adam:0.2:0.9:0.999:1e-6
"""
import argparse
import sys
from decimal import Decimal as D, getcontext


def trajectory(kind, params, epochs):
    coef = (D("0.2"), D(4))
    w = [D(-5), D(-2)]
    v = [D(0), D(0)]
    s = [D(0), D(0)]
    out = [list(w)]
    p = [D(x) for x in params]
    for t in range(1, epochs + 1):
        for i in range(2):
            g = coef[i] * w[i]
            if kind == "gd":
                w[i] = w[i] - p[0] * g
            elif kind == "momentum":
                v[i] = p[1] * v[i] + (1 - p[1]) * g
                w[i] = w[i] - p[0] * v[i]
            elif kind == "rmsprop":
                s[i] = p[1] * s[i] + (1 - p[1]) * g * g
                w[i] = w[i] - p[0] * g / (s[i] + p[2]).sqrt()
            elif kind == "adam":
                v[i] = p[1] * v[i] + (1 - p[1]) * g
                s[i] = p[2] * s[i] + (1 - p[2]) * g * g
                vh = v[i] / (1 - p[1] ** t)
                sh = s[i] / (1 - p[2] ** t)
                w[i] = w[i] - p[0] * vh / (sh.sqrt() + p[3])
            else:
                raise SystemExit("unknown kind " + kind)
        out.append(list(w))
    return out


def unit_of_last_digit(text):
    mant = text.lstrip("-").split("e")[0]
    exp = int(text.split("e")[1]) if "e" in text else 0
    frac = len(mant.split(".")[1]) if "." in mant else 0
    return D(1).scaleb(exp - frac)


def check(cell, ref):
    if cell.startswith("["):
        m, r = cell.strip("[]").split(" +- ")
        return abs(D(m) - ref) <= D(r), 0
    digits = len(cell.lstrip("-").split("e")[0].replace(".", "").lstrip("0"))
    return abs(D(cell) - ref) <= unit_of_last_digit(cell), digits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prec", type=int, default=80)
    ap.add_argument("problems", nargs="+", help="id=kind:param:...")
    args = ap.parse_args()
    getcontext().prec = args.prec
    specs = {}
    for p in args.problems:
        pid, rest = p.split("=")
        kind, *params = rest.split(":")
        specs[pid] = (kind, params)
    rows = [l.strip().split(",") for l in sys.stdin if l.strip()]
    header, rows = rows[0], rows[1:]
    assert header[:2] == ["problem", "epoch"], header
    last = {}
    for r in rows:
        last[r[0]] = max(last.get(r[0], 0), int(r[1]))
    refs = {pid: trajectory(*specs[pid], n) for pid, n in last.items()}
    bad, cells, least = [], 0, {}
    for r in rows:
        pid, t = r[0], int(r[1])
        w = refs[pid][t]
        f = D("0.1") * w[0] ** 2 + 2 * w[1] ** 2
        for name, cell, ref in zip(("w1", "w2", "f"), r[2:5], (w[0], w[1], f)):
            ok, digits = check(cell, ref)
            cells += 1
            key = (pid, t, name)
            least[key] = digits
            if not ok:
                bad.append("%s epoch %d %s: printed %s, reference %s" % (pid, t, name, cell, ref))
    for b in bad[:20]:
        print(b)
    # the fewest certain digits printed at each problem's last epoch, for the caller's checks
    for pid, n in last.items():
        print("last %s %d %s" % (pid, n, " ".join(str(least[(pid, n, c)]) for c in ("w1", "w2", "f"))))
    print("checked %d cells, %d wrong" % (cells, len(bad)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
