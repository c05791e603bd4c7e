"""The baseline of exercise 5's training speed: the same network, data and batches in PyTorch, as a
PyTorch user would write it (the data in one tensor, no DataLoader), one epoch at a time.

    python3 benches/baseline_torch.py [sgd|adam] [EPOCHS] [DATA_DIR]   # prints each epoch's seconds

DATA_DIR holds the four gzipped IDX files (default: Debian's /usr/share/datasets/fashion-mnist).
Compare with `stepwise vanishing --epochs 3 --optimizers sgd` (the `seconds` column of its CSV) on the
same machine, in the same minutes: PyTorch is not a test dependency, so CI does not run this.
"""
import gzip
import sys
import time

import numpy as np
import torch


def idx(folder, name, header):
    with gzip.open(f"{folder}/{name}") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "sgd"
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    folder = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist"
    torch.manual_seed(0)
    pixels = lambda f: torch.tensor(idx(folder, f, 16).reshape(-1, 784), dtype=torch.float32) / 255
    labels = lambda f: torch.tensor(idx(folder, f, 8), dtype=torch.long)
    x, y = pixels("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz")
    xt, yt = pixels("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz")
    # 784 -> five sigmoid layers of 128 -> 10, weights from Normal(0, 0.05), biases 0
    widths = [784, 128, 128, 128, 128, 128, 10]
    parts = []
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        layer = torch.nn.Linear(a, b)
        torch.nn.init.normal_(layer.weight, 0.0, 0.05)
        torch.nn.init.zeros_(layer.bias)
        parts.append(layer)
        if i < len(widths) - 2:
            parts.append(torch.nn.Sigmoid())
    model = torch.nn.Sequential(*parts)
    make = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[name]
    optimizer = make(model.parameters(), lr=0.01)
    loss = torch.nn.CrossEntropyLoss()
    for epoch in range(1, epochs + 1):
        started = time.perf_counter()
        order = torch.randperm(len(x))
        model.train()
        for k in range(0, len(x), 512):
            rows = order[k:k + 512]
            optimizer.zero_grad()
            loss(model(x[rows]), y[rows]).backward()
            optimizer.step()
        model.eval()
        right = 0
        with torch.no_grad():
            for k in range(0, len(xt), 512):
                right += (model(xt[k:k + 512]).argmax(1) == yt[k:k + 512]).sum().item()
        seconds = time.perf_counter() - started
        print(f"{name} epoch {epoch}: {seconds:.3f} s, test accuracy {right / len(xt):.4f}", flush=True)


if __name__ == "__main__":
    main()
