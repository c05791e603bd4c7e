"""Part (b) of exercise 2: Gradient descent with momentum, 30 epochs on f = 0.1*w1^2 +
2*w2^2, in NumPy float32.

Run it with: python3 momentum-en.py (add --hex to print the exact bits of every
value)
"""
import sys

import numpy as np

DTYPE = np.float32
if int(np.__version__.split(".")[0]) < 2:
    sys.stderr.write(
        "note: these are NumPy 2's float32 numbers; NumPy 1 computes "
        "arithmetic on single numbers in float64, so its last digits differ\n"
    )


def df_w(W):
    """Partial derivatives of f at W, as an array [dw1, dw2, ...]."""
    w1, w2 = W
    dw1 = 0.2 * w1
    dw2 = 4 * w2
    return np.array([dw1, dw2], dtype=DTYPE)


def sgd_momentum(W, dW, lr, V, t, beta=0.5):
    """One epoch of Gradient descent with momentum: returns the new W and the updated
    state."""
    V = beta * V + (1 - beta) * dW
    W = W - lr * V
    return W, V


def train_p1(optimizer, lr, epochs):
    """Runs the optimizer for the given epochs from the start point; returns every
    point, the start included."""
    W = np.array([-5, -2], dtype=DTYPE)
    V = np.zeros_like(W)
    results = [W]
    for t in range(1, epochs + 1):
        dW = df_w(W)
        W, V = optimizer(W, dW, lr, V, t)
        results.append(W)
    return results


if __name__ == "__main__":
    # Print every point: epoch 0 is the start.
    results = train_p1(sgd_momentum, lr=0.6, epochs=30)
    for epoch, W in enumerate(results):
        if "--hex" in sys.argv:
            print(epoch, *[float(x).hex() for x in W])
        else:
            print(f"epoch {epoch:2d}:", *[str(x) for x in W])
