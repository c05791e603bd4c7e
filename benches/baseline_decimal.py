"""The baseline of the exact engine's speed: the course's Adam recurrence in CPython's `decimal`
module at 28 significant digits (plain rounding, no error bounds), as a Python user would write it.

    python3 benches/baseline_decimal.py [EPOCHS]      # prints the seconds of CPU and the last point

stepwise's `exact engine, adam, 30000 epochs` benchmark runs the same recurrence with error bounds on.
"""
import decimal
import sys
import time
from decimal import Decimal as D

decimal.getcontext().prec = 28


def adam(epochs):
    w = [D(-5), D(-2)]
    m = [D(0), D(0)]
    v = [D(0), D(0)]
    lr, b1, b2, eps = D("0.2"), D("0.9"), D("0.999"), D("1e-6")
    for t in range(1, epochs + 1):
        g = [D("0.2") * w[0], D(4) * w[1]]
        for i in range(2):
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            m_hat = m[i] / (1 - b1**t)
            v_hat = v[i] / (1 - b2**t)
            w[i] = w[i] - lr * m_hat / (v_hat.sqrt() + eps)
    return w


if __name__ == "__main__":
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
    start = time.process_time()
    w = adam(epochs)
    print(f"{time.process_time() - start:.3f} s of CPU for {epochs} epochs; w = {w}")
