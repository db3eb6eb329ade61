# framework: tensorflow
"""One training step in TF (GradientTape) and PyTorch (backward), plus the classic mistakes."""
import warnings

import numpy as np
import tensorflow as tf

try:
    import torch
except ImportError:  # the TensorFlow sandbox may not ship PyTorch
    torch = None

print("device:", "cuda" if tf.config.list_physical_devices("GPU") else "cpu")
X = np.array([[1.0], [2.0]], dtype="float32")
Y = np.array([[3.0], [5.0]], dtype="float32")  # target: constant, same 2x1 shape as the prediction

# --- TensorFlow: record on a tape, ask it for gradients, apply them -----------------------------
w = tf.Variable([[0.0]])
b = tf.Variable([0.0])
opt = tf.keras.optimizers.SGD(learning_rate=0.1)  # created once, outside the loop
for step in range(3):
    with tf.GradientTape() as tape:
        pred = X @ w + b
        loss = tf.reduce_mean((pred - Y) ** 2)
    grads = tape.gradient(loss, [w, b])  # fresh gradients every call, nothing to zero
    opt.apply_gradients(zip(grads, [w, b]))
    print(f"TF step {step}: loss {float(loss):.3f}  dL/dw {float(grads[0][0, 0]):.3f}")

try:
    tape.gradient(loss, [w, b])
except RuntimeError as err:
    print("second gradient() on a non-persistent tape:", type(err).__name__)
c = tf.constant(2.0)
with tf.GradientTape() as tape:
    out = c * c
print("gradient w.r.t. an unwatched constant:", tape.gradient(out, c))
with tf.GradientTape() as tape:
    tape.watch(c)
    out = c * c
print("after tape.watch(c):", float(tape.gradient(out, c)))

# --- Re-creating Adam each step resets its moments: every update is just lr * sign(grad) ---------
def adam_updates(recreate: bool) -> list[float]:
    v = tf.Variable(1.0)
    adam = tf.keras.optimizers.Adam(0.1)
    sizes = []
    for g in (10.0, 0.1, 0.1):
        if recreate:
            adam = tf.keras.optimizers.Adam(0.1)
        before = float(v)
        adam.apply_gradients([(tf.constant(g), v)])
        sizes.append(round(before - float(v), 4))
    return sizes

print("Adam created once, update sizes :", adam_updates(False))
print("Adam created every step, sizes  :", adam_updates(True))

# --- PyTorch: implicit recording, backward() accumulates into .grad -----------------------------
if torch is None:
    print("PyTorch is not installed here; skipping the PyTorch half")
else:
    tw = torch.zeros(1, 1, requires_grad=True)
    x_t, y_t = torch.from_numpy(X), torch.from_numpy(Y)
    for step in range(2):  # deliberately no zero_grad
        loss = ((x_t @ tw - y_t) ** 2).mean()
        loss.backward()
        print(f"torch without zero_grad, step {step}: w.grad {tw.grad.item():.3f}")
    print("same data, yet the gradient doubled: it accumulates")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.nn.functional.mse_loss(torch.zeros(2, 1), torch.zeros(2, 2))
    print("mse_loss with a 2x2 target for a 2x1 prediction warns:", bool(caught))
