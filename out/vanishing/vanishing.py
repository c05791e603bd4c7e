"""Exercise 5: vanishing gradients. An MLP of five sigmoid layers on FashionMNIST, trained with each
optimizer from the same initial weights. Written by stepwise (`stepwise vanishing`) with the settings
it ran; its results are in vanishing.csv beside this file.

Needs torch and torchvision. The data is read from DATA_DIR (torchvision's layout: DATA_DIR/FashionMNIST/raw).

To compare this run with stepwise's step by step, run `stepwise vanishing --save-init` (it writes the
initial weights and every epoch's batch order as .npy files into OUT/vanishing-init) and set NPY_DIR to
that folder, or pass it: python3 vanishing.py --npy out/vanishing/vanishing-init. Both runs then start
from the same weights and take the same batches (this also needs NumPy).
"""
import argparse
import os
import time

import torch
from torch import nn
from torchvision import datasets, transforms

DATA_DIR = "./data"
BATCH_SIZE = 512
EPOCHS = 300
LR = 0.01
SEED = 0
INIT_STD = 0.05
SIZES = [784, 128, 128, 128, 128, 128, 10]
# a folder of `stepwise vanishing --save-init` (layers.<i>.weight.npy, layers.<i>.bias.npy, order.npy), or None
NPY_DIR = None
DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def load(train):
    """The whole split as two tensors: pixels / 255, flattened, and labels."""
    ds = datasets.FashionMNIST(DATA_DIR, train=train, download=True, transform=transforms.ToTensor())
    x = ds.data.reshape(len(ds), -1).float().div(255)
    return x.to(DEVICE), ds.targets.to(DEVICE)


class MLP(nn.Module):
    """A Linear layer per pair of widths, a sigmoid after every hidden one, logits out."""

    def __init__(self, sizes):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        for layer in self.layers:
            nn.init.normal_(layer.weight, mean=0.0, std=INIT_STD)
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = torch.sigmoid(layer(x))
        return self.layers[-1](x)


class ADOPT(torch.optim.Optimizer):
    """ADOPT (Taniguchi et al., 2024) as its official code computes it: the first step only sets the
    second moment; later steps normalise the gradient by the previous second moment (floored at eps),
    clip it to (step - 1) ** 0.25, average it into the momentum, move, then update the second moment."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.9999), eps=1e-6):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                state = self.state[p]
                if not state:
                    state["t"] = 1
                    state["V"] = torch.zeros_like(p)
                    state["S"] = g * g
                    continue
                state["t"] += 1
                c = (state["t"] - 1) ** 0.25
                ghat = (g / state["S"].sqrt().clamp(min=group["eps"])).clamp(-c, c)
                state["V"].mul_(beta1).add_(ghat, alpha=1 - beta1)
                p.add_(state["V"], alpha=-group["lr"])
                state["S"].mul_(beta2).addcmul_(g, g, value=1 - beta2)


OPTIMIZERS = {
    "sgd": lambda model: torch.optim.SGD(model.parameters(), lr=0.01),
    "momentum": lambda model: torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9),
    "rmsprop": lambda model: torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.99, eps=1e-8),
    "adam": lambda model: torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.9, 0.999), eps=1e-8),
    "adopt": lambda model: ADOPT(model.parameters(), lr=0.01, betas=(0.9, 0.9999), eps=0.000001),
}


def evaluate(model, x, y, criterion):
    """Mean loss and accuracy over the whole set, counted on the set itself (the course's sample
    code divides the test hits by the train plus test counts)."""
    model.eval()
    loss, right = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(y), BATCH_SIZE):
            out = model(x[i:i + BATCH_SIZE])
            loss += criterion(out, y[i:i + BATCH_SIZE]).item() * len(out)
            right += (out.argmax(1) == y[i:i + BATCH_SIZE]).sum().item()
    return loss / len(y), right / len(y)


def saved(npy_dir):
    """The initial weights (a state_dict) and the batch orders (one row per epoch) that
    `stepwise vanishing --save-init` wrote into npy_dir."""
    import numpy as np

    init = {}
    for i in range(len(SIZES) - 1):
        for kind in ("weight", "bias"):
            key = f"layers.{i}.{kind}"
            init[key] = torch.from_numpy(np.load(os.path.join(npy_dir, key + ".npy")))
    orders = np.load(os.path.join(npy_dir, "order.npy"), mmap_mode="r")
    if orders.shape[0] < EPOCHS:
        raise SystemExit(f"{npy_dir}/order.npy has {orders.shape[0]} epochs, EPOCHS is {EPOCHS}")
    return init, orders


def train(name, init, x, y, xt, yt, orders=None):
    model = MLP(SIZES).to(DEVICE)
    model.load_state_dict(init)
    optimizer = OPTIMIZERS[name](model)
    criterion = nn.CrossEntropyLoss()
    order = torch.Generator().manual_seed(SEED)
    print("optimizer,epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,"
          + ",".join(f"grad_norm_{i + 1}" for i in range(len(model.layers))))
    for epoch in range(1, EPOCHS + 1):
        start = time.perf_counter()
        model.train()
        loss, right, norms, steps = 0.0, 0, [0.0] * len(model.layers), 0
        # every optimizer sees the same batch orders: one generator, reseeded per run, or stepwise's
        if orders is None:
            perm = torch.randperm(len(y), generator=order).to(DEVICE)
        else:
            perm = torch.from_numpy(orders[epoch - 1].copy()).to(DEVICE)
        for i in range(0, len(y), BATCH_SIZE):
            idx = perm[i:i + BATCH_SIZE]
            optimizer.zero_grad()
            out = model(x[idx])
            batch_loss = criterion(out, y[idx])
            batch_loss.backward()
            for k, layer in enumerate(model.layers):
                norms[k] += torch.cat([layer.weight.grad.flatten(), layer.bias.grad]).norm().item()
            optimizer.step()
            loss += batch_loss.item() * len(idx)
            right += (out.argmax(1) == y[idx]).sum().item()
            steps += 1
        test_loss, test_acc = evaluate(model, xt, yt, criterion)
        row = [name, epoch, loss / len(y), right / len(y), test_loss, test_acc,
               time.perf_counter() - start] + [n / steps for n in norms]
        print(",".join(str(v) for v in row), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npy", default=NPY_DIR, help="a folder of stepwise vanishing --save-init")
    args = parser.parse_args()
    torch.manual_seed(SEED)
    x, y = load(True)
    xt, yt = load(False)
    if args.npy:
        init, orders = saved(args.npy)
    else:
        init, orders = MLP(SIZES).state_dict(), None
    for name in OPTIMIZERS:
        train(name, init, x, y, xt, yt, orders)


if __name__ == "__main__":
    main()
