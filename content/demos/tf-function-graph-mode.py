# framework: tensorflow
"""TF1 build-then-run (Session) vs TF2 tf.function tracing, and PyTorch's record-as-you-go autograd."""
import importlib.util
import os
import sys
import tempfile

import numpy as np
import tensorflow as tf

try:
    import torch
except ImportError:  # the TensorFlow sandbox may not ship PyTorch
    torch = None

print("device:", "cuda" if tf.config.list_physical_devices("GPU") else "cpu")
v1 = tf.compat.v1
xd = np.array([[1.0], [2.0], [3.0]], np.float32)
yd = 2 * xd + 1

# --- TF1: build a symbolic graph, then run it in a Session ---------------------------------------
print("TF1 names in the TF2 namespace:",
      {n: hasattr(tf, n) for n in ("Session", "placeholder", "random_uniform", "initialize_all_variables")})
graph = tf.Graph()
with graph.as_default():
    x = v1.placeholder(tf.float32, [None, 1])
    y = v1.placeholder(tf.float32, [None, 1])
    w = v1.Variable(v1.random_uniform([1, 1], -1.0, 1.0, seed=0))
    b = v1.Variable(tf.zeros([1]))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
    n_before = len(graph.get_operations())
    train_op = v1.train.GradientDescentOptimizer(0.1).minimize(loss)  # adds gradient + update ops
    print(f"graph ops: {n_before} for the forward pass, {len(graph.get_operations())} after minimize()")
    with v1.Session(graph=graph) as sess:
        sess.run(v1.global_variables_initializer())
        for _ in range(200):
            sess.run(train_op, feed_dict={x: xd, y: yd})
        print("TF1 Session result: w=%.2f b=%.2f" % (sess.run(w)[0, 0], sess.run(b)[0]))

# --- TF2: eager by default; tf.function traces Python into a graph per input signature ----------
print("TF2 executing eagerly:", tf.executing_eagerly())


@tf.function
def scale(t, factor):
    print("  [python print: tracing with factor =", factor, "]")  # runs only while tracing
    tf.print("  [tf.print: running]", output_stream=sys.stdout)  # a graph op: runs every call
    return t * factor


t = tf.ones([2])
scale(t, 2.0)
scale(t, 3.0)                 # new Python float -> new trace
scale(t, tf.constant(2.0))    # tensor argument -> one trace per dtype/shape...
scale(t, tf.constant(3.0))    # ...reused for any value
scale(tf.ones([5]), tf.constant(3.0))  # new shape -> another trace
print("traces so far:", scale.experimental_get_tracing_count())


# AutoGraph rewrites Python control flow on tensors. It reads the function's source code, so the
# function must live in a real file (code typed into `python -c` or exec() is invisible to it).
AG_SOURCE = """
import tensorflow as tf

@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def positive_sum(v):
    total = tf.constant(0.0)
    for item in v:            # loop over a tensor -> tf.while_loop
        if item > 0:          # condition on a tensor -> tf.cond
            total += item
    return total
"""
module_path = os.path.join(tempfile.mkdtemp(), "ag_demo.py")
with open(module_path, "w") as fh:
    fh.write(AG_SOURCE)
spec = importlib.util.spec_from_file_location("ag_demo", module_path)
ag_demo = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ag_demo)
positive_sum = ag_demo.positive_sum
print("positive_sum:", float(positive_sum(tf.constant([1.0, -2.0, 3.0]))),
      float(positive_sum(tf.constant([4.0, -1.0]))), "| traces:", positive_sum.experimental_get_tracing_count())
code = tf.autograph.to_code(positive_sum.python_function)
print("AutoGraph rewrote the loop and the if:", "ag__.for_stmt" in code, "ag__.if_stmt" in code)
ops = {op.type for op in positive_sum.get_concrete_function().graph.get_operations()}
print("top-level loop op in the graph:", sorted(o for o in ops if "While" in o), "(the cond sits in its body)")

# The TF2 training step: GradientTape + apply_gradients, compiled by tf.function.
wv, bv = tf.Variable([[0.0]]), tf.Variable([0.0])
opt = tf.keras.optimizers.SGD(0.1)


@tf.function
def train_step(xb, yb):
    with tf.GradientTape() as tape:
        loss_value = tf.reduce_mean(tf.square(xb @ wv + bv - yb))
    grads = tape.gradient(loss_value, [wv, bv])
    opt.apply_gradients(zip(grads, [wv, bv]))
    return loss_value


for _ in range(200):
    train_step(xd, yd)
print("TF2 tf.function result: w=%.2f b=%.2f" % (wv.numpy()[0, 0], bv.numpy()[0]))

# --- PyTorch: the autograd graph is recorded while the code runs ---------------------------------
if torch is None:
    print("PyTorch is not installed here; skipping the comparison")
else:
    wt = torch.tensor(2.0, requires_grad=True)
    out = wt
    for _ in range(int(torch.tensor(3))):  # plain Python control flow, decided at run time
        out = out * wt
    chain, fn = [], out.grad_fn
    while fn is not None:
        chain.append(type(fn).__name__)
        fn = fn.next_functions[0][0] if fn.next_functions else None
    print("PyTorch graph recorded on the fly:", " <- ".join(chain))
    out.backward()
    print("d(w^4)/dw at w=2:", wt.grad.item())
