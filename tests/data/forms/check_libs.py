#!/usr/bin/env python3
"""Run the REAL libraries in float64 on the same problem and compare with forms-20.txt.

Needs a venv with torch, jax+optax, keras (JAX backend).  Optional: the official ADOPT file
(iShohei220/adopt src/adopt/adopt.py) given by ADOPT_PY=/path/to/adopt.py.
Usage: .venv/bin/python check_libs.py [forms-20.txt]
Prints, per form, the largest relative difference over the 20 steps and both coordinates.
"""
import importlib.util
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_ENABLE_X64", "1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

from decimal import Decimal as D  # noqa: E402

STEPS = 20
START = [-5.0, -2.0]
COEF = [0.2, 4.0]


def read_ref(path):
    blocks, cur = {}, None
    for line in open(path):
        if line.startswith("#"):
            p = line.split()
            cur = (p[1], p[2])
            blocks[cur] = []
        elif line.strip():
            _, a, b = line.split()
            blocks[cur].append((D(a), D(b)))
    return blocks


# ------------------------------------------------------------------------------------------- torch
def torch_runs():
    import torch
    torch.set_default_dtype(torch.float64)      # NAdam keeps mu_product in the default scalar dtype
    O = torch.optim

    def run(make):
        p = torch.tensor(START, dtype=torch.float64, requires_grad=True)
        opt = make([p])
        c = torch.tensor(COEF, dtype=torch.float64)
        out = [list(START)]
        for _ in range(STEPS):
            opt.zero_grad()
            p.grad = c * p.detach()
            opt.step()
            out.append(p.detach().tolist())
        return out

    R = {
        ("gd", "pytorch"): lambda q: O.SGD(q, lr=0.4),
        ("momentum", "pytorch"): lambda q: O.SGD(q, lr=0.6, momentum=0.5),
        ("momentum", "pytorch-dampening"): lambda q: O.SGD(q, lr=0.6, momentum=0.5, dampening=0.5),
        ("nesterov", "pytorch"): lambda q: O.SGD(q, lr=0.6, momentum=0.5, nesterov=True),
        ("rmsprop", "pytorch"): lambda q: O.RMSprop(q, lr=0.3, alpha=0.9, eps=1e-6),
        ("rmsprop", "pytorch-centered"): lambda q: O.RMSprop(q, lr=0.3, alpha=0.9, eps=1e-6, centered=True),
        ("rmsprop", "pytorch-momentum"): lambda q: O.RMSprop(q, lr=0.3, alpha=0.9, eps=1e-6, momentum=0.5),
        ("rmsprop", "pytorch-centered-momentum"):
            lambda q: O.RMSprop(q, lr=0.3, alpha=0.9, eps=1e-6, momentum=0.5, centered=True),
        ("adagrad", "pytorch"): lambda q: O.Adagrad(q, lr=0.4, eps=1e-6),
        ("adagrad", "pytorch-acc0.1"): lambda q: O.Adagrad(q, lr=0.4, eps=1e-6, initial_accumulator_value=0.1),
        ("adagrad", "pytorch-lr-decay"): lambda q: O.Adagrad(q, lr=0.4, eps=1e-6, lr_decay=0.1),
        ("adam", "pytorch"): lambda q: O.Adam(q, lr=0.2, betas=(0.9, 0.999), eps=1e-6),
        ("amsgrad", "pytorch"): lambda q: O.Adam(q, lr=0.2, betas=(0.9, 0.999), eps=1e-6, amsgrad=True),
        ("adamw", "pytorch"): lambda q: O.AdamW(q, lr=0.2, betas=(0.9, 0.999), eps=1e-6, weight_decay=0.01),
        ("nadam", "pytorch"): lambda q: O.NAdam(q, lr=0.2),
        ("adadelta", "pytorch"): lambda q: O.Adadelta(q, lr=1.0),
    }
    adopt_py = os.environ.get("ADOPT_PY")
    if adopt_py and os.path.exists(adopt_py):
        spec = importlib.util.spec_from_file_location("adopt_official", adopt_py)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        R[("adopt", "official")] = lambda q: mod.ADOPT(q, lr=0.1)
    return {k: run(v) for k, v in R.items()}, "torch " + torch.__version__


# ------------------------------------------------------------------------------------------- optax
def optax_runs():
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import optax

    def run(tx):
        p = jnp.array(START, dtype=jnp.float64)
        c = jnp.array(COEF, dtype=jnp.float64)
        st = tx.init(p)
        out = [list(START)]
        for _ in range(STEPS):
            g = c * p
            u, st = tx.update(g, st, p)
            p = optax.apply_updates(p, u)
            out.append([float(x) for x in p])
        return out

    R = {
        ("gd", "optax"): optax.sgd(0.4),
        ("momentum", "optax"): optax.sgd(0.6, momentum=0.5),
        ("nesterov", "optax"): optax.sgd(0.6, momentum=0.5, nesterov=True),
        ("rmsprop", "optax"): optax.rmsprop(0.3, decay=0.9, eps=1e-6),
        ("rmsprop", "optax-centered"): optax.rmsprop(0.3, decay=0.9, eps=1e-6, centered=True),
        ("rmsprop", "optax-momentum"): optax.rmsprop(0.3, decay=0.9, eps=1e-6, momentum=0.5),
        ("adagrad", "optax"): optax.adagrad(0.4, eps=1e-6),
        ("adagrad", "optax-acc0"): optax.adagrad(0.4, initial_accumulator_value=0.0, eps=1e-6),
        ("adam", "optax"): optax.adam(0.2, b1=0.9, b2=0.999, eps=1e-6),
        ("adam", "eps-in"): optax.adam(0.2, b1=0.9, b2=0.999, eps=0.0, eps_root=1e-6),
        ("amsgrad", "optax"): optax.amsgrad(0.2, b1=0.9, b2=0.999, eps=1e-6),
        ("adamw", "optax"): optax.adamw(0.2, b1=0.9, b2=0.999, eps=1e-6, weight_decay=0.01),
        ("adopt", "optax"): optax.contrib.adopt(0.1),
        ("nadam", "optax"): optax.nadam(0.2),
        ("adadelta", "optax"): optax.adadelta(1.0),
        ("lion", "optax"): optax.lion(0.15),
    }
    return {k: run(v) for k, v in R.items()}, "optax " + optax.__version__ + " jax " + jax.__version__


# ------------------------------------------------------------------------------------------- keras
def keras_runs():
    import keras
    keras.config.set_floatx("float64")
    K = keras.optimizers

    def run(make):
        v = keras.Variable(START, dtype="float64")
        opt = make()
        c = keras.ops.convert_to_tensor(COEF, dtype="float64")
        out = [list(START)]
        for _ in range(STEPS):
            g = c * v.value
            opt.apply_gradients([(g, v)])
            out.append([float(x) for x in keras.ops.convert_to_numpy(v.value)])
        return out

    R = {
        ("gd", "keras"): lambda: K.SGD(0.4),
        ("momentum", "keras"): lambda: K.SGD(0.6, momentum=0.5),
        ("nesterov", "keras"): lambda: K.SGD(0.6, momentum=0.5, nesterov=True),
        ("rmsprop", "keras"): lambda: K.RMSprop(0.3, rho=0.9, epsilon=1e-6),
        ("rmsprop", "keras-centered"): lambda: K.RMSprop(0.3, rho=0.9, epsilon=1e-6, centered=True),
        ("rmsprop", "keras-momentum"): lambda: K.RMSprop(0.3, rho=0.9, epsilon=1e-6, momentum=0.5),
        ("adagrad", "keras"): lambda: K.Adagrad(0.4, epsilon=1e-6),
        ("adam", "keras"): lambda: K.Adam(0.2, beta_1=0.9, beta_2=0.999, epsilon=1e-6),
        ("amsgrad", "keras"): lambda: K.Adam(0.2, beta_1=0.9, beta_2=0.999, epsilon=1e-6, amsgrad=True),
        ("adamw", "keras"): lambda: K.AdamW(0.2, weight_decay=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-6),
        ("nadam", "keras"): lambda: K.Nadam(0.2),
        ("adadelta", "keras"): lambda: K.Adadelta(1.0),
        ("lion", "keras"): lambda: K.Lion(0.15),
    }
    return {k: run(v) for k, v in R.items()}, "keras " + keras.__version__


def compare(ref, runs, label):
    """ok when every value agrees to 1e-12 relative, or to 1e-14 absolute (values near 0)."""
    print("== " + label)
    for key, traj in sorted(runs.items()):
        r = ref[key]
        worst_rel = worst_abs = 0.0
        ok = True
        for (a1, a2), (b1, b2) in zip(r, traj):
            for a, b in ((a1, b1), (a2, b2)):
                a = float(a)
                d = abs(a - b)
                rel = d / abs(a) if a != 0 else (0.0 if d == 0 else float("inf"))
                worst_rel, worst_abs = max(worst_rel, rel), max(worst_abs, d)
                ok &= rel < 1e-12 or d < 1e-14
        print("  %-9s %-26s max rel %.2e  max abs %.2e  %s"
              % (key[0], key[1], worst_rel, worst_abs, "ok" if ok else "DIFF"))


def main():
    ref = read_ref(sys.argv[1] if len(sys.argv) > 1 else "forms-20.txt")
    for fn in (torch_runs, optax_runs, keras_runs):
        try:
            runs, label = fn()
        except ImportError as e:
            print("skipped %s: %s" % (fn.__name__, e))
            continue
        compare(ref, runs, label)


if __name__ == "__main__":
    main()
