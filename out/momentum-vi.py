"""Câu (b) của bài 2: Gradient Descent kết hợp Momentum, 30 epoch trên f = 0.1*w1^2 +
2*w2^2, dùng NumPy float32.

Chạy bằng lệnh: python3 momentum-vi.py (thêm --hex để in chính xác từng bit của mỗi
giá trị)
"""
import sys

import numpy as np

DTYPE = np.float32
if int(np.__version__.split(".")[0]) < 2:
    sys.stderr.write(
        "lưu ý: đây là các số float32 của NumPy 2; NumPy 1 tính phép toán "
        "trên từng số riêng lẻ bằng float64 nên các chữ số cuối sẽ khác\n"
    )


def df_w(W):
    """Đạo hàm riêng của f tại W, trả về mảng [dw1, dw2, ...]."""
    w1, w2 = W
    dw1 = 0.2 * w1
    dw2 = 4 * w2
    return np.array([dw1, dw2], dtype=DTYPE)


def sgd_momentum(W, dW, lr, V, t, beta=0.5):
    """Một epoch của Gradient Descent kết hợp Momentum: trả về W mới và trạng thái đã
    cập nhật."""
    V = beta * V + (1 - beta) * dW
    W = W - lr * V
    return W, V


def train_p1(optimizer, lr, epochs):
    """Chạy thuật toán với số epoch cho trước từ điểm khởi tạo; trả về mọi điểm, kể cả
    điểm khởi tạo."""
    W = np.array([-5, -2], dtype=DTYPE)
    V = np.zeros_like(W)
    results = [W]
    for t in range(1, epochs + 1):
        dW = df_w(W)
        W, V = optimizer(W, dW, lr, V, t)
        results.append(W)
    return results


if __name__ == "__main__":
    # In mọi điểm: epoch 0 là điểm khởi tạo.
    results = train_p1(sgd_momentum, lr=0.6, epochs=30)
    for epoch, W in enumerate(results):
        if "--hex" in sys.argv:
            print(epoch, *[float(x).hex() for x in W])
        else:
            print(f"epoch {epoch:2d}:", *[str(x) for x in W])
