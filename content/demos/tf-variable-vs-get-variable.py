# framework: tensorflow
"""TF1 variable naming and sharing (tf.compat.v1) versus TF2's object-based sharing."""
import os
import tempfile

import tensorflow as tf

v1 = tf.compat.v1
print("device:", "cuda" if tf.config.list_physical_devices("GPU") else "cpu")

# --- TF1 style, inside an explicit graph --------------------------------------------------------
g = tf.Graph()
with g.as_default():
    a = v1.Variable(1.0, name="w")
    b = v1.Variable(2.0, name="w")  # tf.Variable always creates: the clash gets a suffix
    print("tf.Variable twice with name 'w':", a.name, b.name)

    with v1.name_scope("ns"):
        c = v1.Variable(0.0, name="v")
        d = v1.get_variable("gv", shape=[], initializer=v1.zeros_initializer())
    print("name_scope prefixes tf.Variable but not get_variable:", c.name, d.name)

    with v1.variable_scope("layer"):
        k = v1.get_variable("kernel", shape=[2, 2])
        plain = v1.Variable(0.0, name="plain")
    print("variable_scope prefixes both:", k.name, plain.name)
    with v1.variable_scope("layer", reuse=True):
        k_again = v1.get_variable("kernel", shape=[2, 2])
    print("variable_scope(reuse=True) returns the same variable:", k_again is k)

    try:
        with v1.variable_scope("layer"):
            v1.get_variable("kernel", shape=[2, 2])  # reuse not enabled
    except ValueError as err:
        print("get_variable without reuse ->", str(err).split(",")[0])

    with v1.variable_scope("layer", reuse=v1.AUTO_REUSE):
        print("AUTO_REUSE finds it too:", v1.get_variable("kernel", shape=[2, 2]) is k)
    print("variables in this graph:", [x.name for x in v1.global_variables()])

print("tf.get_variable in the TF2 namespace:", hasattr(tf, "get_variable"),
      "| tf.variable_scope:", hasattr(tf, "variable_scope"))

# --- TF2: names are labels; sharing means reusing the object ------------------------------------
x1 = tf.Variable(1.0, name="same")
x2 = tf.Variable(2.0, name="same")
print("eager variables with one name:", x1.name, x2.name, "| distinct objects:", x1 is not x2)

encoder = tf.keras.layers.Dense(3)  # one layer object used twice = shared weights (siamese)
left, right = tf.ones((1, 4)), tf.zeros((1, 4))
encoder(left)
encoder(right)
print("one Dense applied to two inputs owns", len(encoder.trainable_variables), "variables")


class Scale(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.factor = tf.Variable(2.0, name="factor")

    def __call__(self, x):
        return self.factor * x


# Checkpoints follow the object graph (attribute names), not variable names.
path = os.path.join(tempfile.mkdtemp(), "ckpt")
src = Scale(name="source")
src.factor.assign(7.0)
tf.train.Checkpoint(model=src).write(path)
dst = Scale(name="completely_different")
tf.train.Checkpoint(model=dst).read(path).assert_consumed()
print("restored through the object graph:", float(dst.factor), "(module names differed)")
